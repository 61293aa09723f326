import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checkout throughput for .ci/bench: CUSTOMERS signed-in customers each loop "add 1 unit of my own
 * well-stocked product to my cart, check out with a fresh Idempotency-Key" for WARMUP + DURATION
 * seconds, on the JDK's asynchronous HTTP client (a few threads for all customers, so the generator
 * takes little of the CPU the service and PostgreSQL share). JDK only, run as a source file:
 *
 *   java .ci/bench.d/Checkout.java --base-url http://127.0.0.1:8080 --warmup 5 --duration 20 --customers 64 \
 *       --admin-email bench-admin@harmony.local --admin-password bench-admin-password
 *
 * Prints the same `key=value` lines as checkout.py (`checkout ...`, `checkout-error ...`), plus
 * `cart-add ...` for the adds made on the way. Loopback only.
 *
 * With {@code --prepare FILE} it only makes the products and customers and writes one
 * "access_token variant_id product_id" line per customer to FILE, for checkout.lua (wrk as the
 * generator, which .ci/bench uses); {@code --cleanup FILE} archives those products afterwards.
 */
public class Checkout {

    static final String PROBLEMS = "https://harmony.example/problems/";
    static final String SHIP_TO = "{\"name\":\"Bench\",\"line1\":\"1 Loop St\",\"city\":\"Localhost\",\"postal_code\":\"12345\",\"country\":\"US\"}";
    static final String PASSWORD = "a bench passphrase for checkout";

    static HttpClient http;
    static String base;

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Exception e) {
            log("failed: " + e);
            System.exit(2); // the client's threads would keep the JVM alive
        }
    }

    static void run(String[] args) throws Exception {
        Map<String, String> a = new java.util.HashMap<>(Map.of("--base-url", "http://127.0.0.1:8080", "--warmup", "5", "--duration", "20",
                "--customers", "64"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i], args[i + 1]);
        }
        base = a.get("--base-url");
        String host = URI.create(base).getHost();
        if (!(host.equals("localhost") || host.startsWith("127.") || host.equals("::1"))) {
            throw new IllegalArgumentException("loopback only, not " + host);
        }
        ExecutorService threads = Executors.newFixedThreadPool(2);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(threads).connectTimeout(Duration.ofSeconds(10)).build();
        int customers = Integer.parseInt(a.get("--customers"));
        double warmup = Double.parseDouble(a.get("--warmup"));
        double duration = Double.parseDouble(a.get("--duration"));
        String run = System.currentTimeMillis() / 1000 + "-" + UUID.randomUUID().toString().substring(0, 6);

        String admin = signIn(a.get("--admin-email"), a.get("--admin-password"));
        if (a.containsKey("--cleanup")) {
            archive(admin, java.nio.file.Files.readAllLines(java.nio.file.Path.of(a.get("--cleanup"))).stream()
                    .map(line -> line.trim().split("\\s+")).filter(f -> f.length == 3).map(f -> f[2]).toList());
            System.exit(0);
        }
        // one well-stocked product per customer: they race for CPU and the database, not for one stock row (that is the race's job)
        List<String> products = new ArrayList<>();
        List<String> variants = new ArrayList<>();
        for (int i = 0; i < customers; i++) {
            String product = send("POST", "/v1/admin/products", admin, """
                    {"slug":"bench-jcheckout-%1$s-%3$d","title":"Bench checkout %1$s %3$d","variants":[{"sku":"BENCH-JCHECKOUT-%2$s-%3$d","options":{},
                    "price_minor":1000,"currency":"USD","stock_on_hand":100000000}]}""".formatted(run, run.toUpperCase(), i), null, 201).join().body();
            products.add(first(product, "\"id\"\\s*:\\s*\"([^\"]+)\""));
            variants.add(first(product, "\"variants\"\\s*:\\s*\\[\\s*\\{\\s*\"id\"\\s*:\\s*\"([^\"]+)\""));
        }
        log("registering and signing in " + customers + " customers");
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < customers; i += 4) {
            List<CompletableFuture<String>> batch = new ArrayList<>();
            for (int j = i; j < Math.min(customers, i + 4); j++) {
                String email = "bench-" + run + "-j" + j + "@example.com";
                batch.add(send("POST", "/v1/accounts", null, """
                        {"email":"%s","password":"%s","name":"Bench","birth_date":"1990-01-01","address":%s}""".formatted(email, PASSWORD, SHIP_TO),
                        null, 202).thenCompose(r -> signInAsync(email, PASSWORD)));
            }
            batch.forEach(f -> tokens.add(f.join()));
        }

        if (a.containsKey("--prepare")) {
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < tokens.size(); i++) {
                lines.append(tokens.get(i)).append(' ').append(variants.get(i)).append(' ').append(products.get(i)).append('\n');
            }
            java.nio.file.Files.writeString(java.nio.file.Path.of(a.get("--prepare")), lines);
            log("wrote " + tokens.size() + " customers to " + a.get("--prepare"));
            System.exit(0);
        }

        long start = System.nanoTime();
        long measureFrom = start + (long) (warmup * 1e9);
        long stopAt = measureFrom + (long) (duration * 1e9);
        Tally checkouts = new Tally();
        Tally adds = new Tally();
        log("throughput: " + customers + " customers, warm-up " + warmup + "s, then " + duration + "s");
        List<CompletableFuture<Void>> loops = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            loops.add(loop(tokens.get(i), variants.get(i), measureFrom, stopAt, checkouts, adds));
        }
        CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).join();
        double seconds = (Math.max(checkouts.lastEnd.get(), stopAt) - measureFrom) / 1e9;
        report("checkout", checkouts, seconds, customers);
        report("cart-add", adds, seconds, customers);
        archive(admin, products);
        threads.shutdown();
        System.exit(0);
    }

    /** Archives the bench's products, so they leave the catalog's listings (their orders keep their lines). */
    static void archive(String admin, List<String> products) {
        for (String product : products) {
            send("POST", "/v1/admin/products/" + product + "/archive", admin, null, null, 200).join();
        }
    }

    /** One customer: add, check out, again, until the deadline; a failure empties the cart and goes on. */
    static CompletableFuture<Void> loop(String token, String variant, long measureFrom, long stopAt, Tally checkouts, Tally adds) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        step(token, variant, measureFrom, stopAt, checkouts, adds, done);
        return done;
    }

    /** Each order starts from the callback of the last one (a fresh stack each time), not from a chain of futures. */
    static void step(String token, String variant, long measureFrom, long stopAt, Tally checkouts, Tally adds, CompletableFuture<Void> done) {
        if (System.nanoTime() >= stopAt) {
            done.complete(null);
            return;
        }
        order(token, variant, measureFrom, checkouts, adds).whenComplete((x, e) -> {
            if (e != null) {
                checkouts.errors.merge("network 0 -", 1L, Long::sum);
            }
            step(token, variant, measureFrom, stopAt, checkouts, adds, done);
        });
    }

    static CompletableFuture<Void> order(String token, String variant, long measureFrom, Tally checkouts, Tally adds) {
        long t0 = System.nanoTime();
        return send("POST", "/v1/me/cart/items", token, "{\"variant_id\":\"" + variant + "\",\"quantity\":1}", null, -1).thenCompose(add -> {
            adds.record(t0, System.nanoTime(), measureFrom);
            if (add.statusCode() != 200) {
                adds.error("add", add);
                return clear(token);
            }
            String cart = first(add.body(), "\"id\"\\s*:\\s*\"([^\"]+)\"");
            long t1 = System.nanoTime();
            return send("POST", "/v1/me/orders", token, """
                    {"cart_id":"%s","shipping_address":%s,"billing_postal_code":"12345","payment_token":"tok_visa"}""".formatted(cart, SHIP_TO),
                    UUID.randomUUID().toString(), -1).thenCompose(order -> {
                        if (order.statusCode() == 201) {
                            checkouts.record(t1, System.nanoTime(), measureFrom);
                            return CompletableFuture.completedFuture(null);
                        }
                        checkouts.error("checkout", order);
                        return clear(token);
                    });
        });
    }

    static CompletableFuture<Void> clear(String token) {
        return send("DELETE", "/v1/me/cart/items", token, null, null, -1).thenApply(r -> null);
    }

    static String signIn(String email, String password) {
        return signInAsync(email, password).join();
    }

    static CompletableFuture<String> signInAsync(String email, String password) {
        return send("POST", "/v1/auth/sign-in", null, "{\"email\":\"%s\",\"password\":\"%s\"}".formatted(email, password), null, 200)
                .thenApply(r -> first(r.body(), "\"access_token\"\\s*:\\s*\"([^\"]+)\""));
    }

    /** expected -1: any status; otherwise a different one fails the future with the answer. */
    static CompletableFuture<HttpResponse<String>> send(String method, String path, String token, String json, String idempotencyKey, int expected) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
            if (expected != -1 && r.statusCode() != expected) {
                throw new IllegalStateException(method + " " + path + ": HTTP " + r.statusCode() + " " + r.body());
            }
            return r;
        });
    }

    static String first(String body, String regex) {
        Matcher m = Pattern.compile(regex).matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no " + regex + " in " + body);
        }
        return m.group(1);
    }

    static void log(String msg) {
        System.err.println("[checkout.java] " + msg);
    }

    static void report(String kind, Tally t, double seconds, int customers) {
        long n = t.count.get();
        System.out.printf("%s customers=%d orders=%d seconds=%.2f orders_per_s=%.1f p99=%s errors=%d%n", kind, customers, n, seconds, n / seconds,
                t.p99(), t.errors.values().stream().mapToLong(Long::longValue).sum());
        t.errors.forEach((key, count) -> {
            String[] k = key.split(" ");
            System.out.printf("%s-error step=%s status=%s type=%s count=%d%n", kind, k[0], k[1], k[2], count);
        });
    }

    /** Results of one kind of request, measured from measureFrom on. */
    static final class Tally {
        final AtomicLong count = new AtomicLong();
        final AtomicLong lastEnd = new AtomicLong();
        final List<Long> micros = java.util.Collections.synchronizedList(new ArrayList<>());
        final Map<String, Long> errors = new ConcurrentHashMap<>();

        void record(long started, long ended, long measureFrom) {
            if (started >= measureFrom) {
                count.incrementAndGet();
                micros.add((ended - started) / 1000);
                lastEnd.accumulateAndGet(ended, Math::max);
            }
        }

        void error(String step, HttpResponse<String> r) {
            Matcher m = Pattern.compile("\"type\"\\s*:\\s*\"" + Pattern.quote(PROBLEMS) + "([^\"]+)\"").matcher(r.body());
            errors.merge(step + " " + r.statusCode() + " " + (m.find() ? m.group(1) : "-"), 1L, Long::sum);
        }

        String p99() {
            List<Long> s;
            synchronized (micros) {
                s = new ArrayList<>(micros);
            }
            if (s.isEmpty()) {
                return "?";
            }
            java.util.Collections.sort(s);
            long us = s.get(Math.min(s.size() - 1, (int) (0.99 * s.size())));
            return us < 1000 ? us + ".00us" : us < 1_000_000 ? "%.2fms".formatted(us / 1000.0) : "%.2fs".formatted(us / 1e6);
        }
    }
}
