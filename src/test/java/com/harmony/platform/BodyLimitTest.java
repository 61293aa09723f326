package com.harmony.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The body limit (harmony.http.max-body-bytes, 256 KiB) holds for streamed bodies too: a chunked body
 * (no Content-Length) is counted as it arrives, not only announced sizes are refused.
 */
@QuarkusTest
class BodyLimitTest {

    private static final String PROBLEMS = "https://harmony.example/problems/";

    @TestHTTPResource("/")
    URI root;

    @TestHTTPResource(value = "/", management = true)
    URI management;

    @jakarta.inject.Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aChunkedBodyOverTheLimitIsAPayloadTooLargeProblem() throws Exception {
        String huge = "{\"slug\":\"" + "a".repeat(300 * 1024) + "\"}";
        HttpResponse<String> r = chunkedPost("/v1/admin/categories", huge, AuthFixtures.admin().accessToken());
        assertEquals(413, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        assertTrue(r.body().contains(PROBLEMS + "payload-too-large"), r.body());

        // far beyond even the transport's ceiling: the same problem, and the rest of the stream is never read
        HttpResponse<String> endless = chunkedPost("/v1/admin/categories", "[" + "1,".repeat(2 * 1024 * 1024) + "1]", AuthFixtures.admin().accessToken());
        assertEquals(413, endless.statusCode(), endless.body());
        assertTrue(endless.body().contains(PROBLEMS + "payload-too-large"), endless.body());
    }

    @Test
    void aChunkedBodyUnderTheLimitIsReadAsUsual() throws Exception {
        String token = AuthFixtures.admin().accessToken();
        String slug = "chunked-" + UUID.randomUUID();
        HttpResponse<String> created = chunkedPost("/v1/admin/categories", "{\"slug\":\"" + slug + "\",\"name\":\"Chunked\"}", token);
        assertEquals(201, created.statusCode(), created.body());
        assertTrue(created.body().contains(slug), created.body());

        // 200 KiB, streamed: read in full and judged on its content (the slug is too long), not refused as too large
        HttpResponse<String> big = chunkedPost("/v1/admin/categories", "{\"slug\":\"" + "a".repeat(200 * 1024) + "\"}", token);
        assertEquals(400, big.statusCode(), big.body());
        assertTrue(big.body().contains(PROBLEMS + "validation-failed") && big.body().contains("\"field\":\"slug\""), big.body());
    }

    @Test
    void anAnnouncedBodyOverTheLimit_isRefused_andTheConnectionClosed_soTheBodyIsNeverReadAsTheNextRequest() throws Exception {
        String head = "POST /v1/admin/categories HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 300000\r\n\r\n";
        // the "body" is a request of its own: read on, the server would answer it
        String smuggled = "GET /v1/ping HTTP/1.1\r\nHost: localhost\r\n\r\n";
        String answer = exchange(head + smuggled + " ".repeat(300000 - smuggled.length()) + smuggled);
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains(PROBLEMS + "payload-too-large"), answer);
        assertEquals(1, answer.split("HTTP/1.1 ", -1).length - 1, "one answer, then the connection ends: " + answer);
    }

    @Test
    void aChunkedBodyWhoseFramingIsBroken_orWhoseTrailerHoldsANul_isAMalformedRequestProblem() throws Exception {
        String head = "POST /v1/feedback HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
        for (String chunks : java.util.List.of("zz\r\n{}\r\n0\r\n\r\n", "2\r\n{}\r\n0\r\nX-T: a\u0000\r\n\r\n")) {
            String answer = exchange(head + chunks);
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            assertTrue(answer.contains(PROBLEMS + "malformed-request"), answer);
        }
    }

    @Test
    void aRequestLineOfAnUnknownHttpVersion_isAMalformedRequestProblem_notAnsweredAsThatVersion() throws Exception {
        String unknown = exchange("GET /v1/ping HTTP/9.9\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertTrue(unknown.contains(" 400 "), unknown);
        assertTrue(unknown.contains(PROBLEMS + "malformed-request"), unknown);
    }

    @Test
    void aBodyWithAContentEncoding_isRefusedAs415_andNothingIsStored() {
        String slug = "encoded-" + UUID.randomUUID();
        io.restassured.RestAssured.given().auth().oauth2(AuthFixtures.admin().accessToken()).contentType("application/json")
                .header("Content-Encoding", "gzip").body("{\"slug\":\"" + slug + "\",\"name\":\"Encoded\"}")
                .post("/v1/admin/categories").then().statusCode(415)
                .contentType("application/problem+json").body("type", org.hamcrest.Matchers.equalTo(PROBLEMS + "unsupported-media-type"));
        io.restassured.RestAssured.given().header("Content-Encoding", "gzip").get("/v1/categories").then().statusCode(200)
                .body("data.slug", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(slug)));
    }

    /**
     * The test profile lets 2 MiB of bodies in at once (harmony.http.body-memory-bytes; production: a quarter of the heap).
     * Eight slow uploads from eight clients, announcing 256 KiB each (or streaming, each counted as the 256 KiB limit), hold all of it: the
     * next request with a body is a 503 problem with Retry-After, unread, while requests without one are served. Once
     * the uploads are abandoned and forty bodies of 200 KiB (announced and streamed) have been answered, eight uploads
     * fill it exactly again: every share came back, none twice.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"Content-Length: 262144", "Transfer-Encoding: chunked"})
    void slowUploadsHoldingTheBodyMemory_makeTheNextBodyA503WithRetryAfter_untilTheyEnd(String framing) throws Exception {
        // an admin write: read in full before it is answered, and no throttle answers it early (feedback's does)
        awaitNoBodiesHeld("no body of an earlier test is still being received"); // else the eight uploads would not all fit
        String auth = "Authorization: Bearer " + AuthFixtures.admin().accessToken() + "\r\n";
        fillTheBodyMemory(framing, auth);
        String after = null;
        for (long until = System.nanoTime() + 5_000_000_000L; System.nanoTime() < until; Thread.sleep(50)) {
            after = probe(auth);
            if (!after.startsWith("HTTP/1.1 503")) {
                break;
            }
        }
        assertTrue(after != null && !after.startsWith("HTTP/1.1 503"), "the abandoned uploads gave their share back: " + after);
        String big = "{\"slug\":\"" + "y".repeat(200 * 1024) + "\"}";
        for (int i = 0; i < 20; i++) {
            io.restassured.RestAssured.given().auth().oauth2(AuthFixtures.admin().accessToken()).contentType("application/json").body(big).post("/v1/admin/categories")
                    .then().statusCode(400);
            HttpResponse<String> streamed = http.send(HttpRequest.newBuilder(root.resolve("/v1/admin/categories")).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + AuthFixtures.admin().accessToken())
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, streamed.statusCode(), streamed.body());
        }
        // the last answers' shares come back as their responses end, a moment after the client reads them: none is kept
        awaitNoBodiesHeld("forty bodies read and answered hold nothing afterwards");
        fillTheBodyMemory(framing, auth);
    }

    /** Eight slow uploads, each held open: all eight are let in, and then a small body is refused with a 503 problem. */
    private void fillTheBodyMemory(String framing, String auth) throws Exception {
        String head = "POST /v1/admin/categories HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + auth + framing + "\r\n";
        String start = "{\"slug\":\"" + "x".repeat(1000);
        String firstPart = framing.startsWith("Transfer") ? Integer.toHexString(start.length()) + "\r\n" + start + "\r\n" : start;
        java.util.List<java.net.Socket> slow = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                java.net.Socket s = new java.net.Socket(root.getHost(), root.getPort());
                // eight clients (the tests' proxy names them): one client may hold only a quarter of the memory
                s.getOutputStream().write((head + "X-Forwarded-For: 203.0.113." + (i + 1) + "\r\n\r\n" + firstPart).getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                slow.add(s);
            }
            // the server reads the eight heads before the first probe, which could otherwise take the last share first
            awaitBodiesHeld(8 * 256 * 1024, "the eight uploads are let in");
            String refused = null;
            for (long until = System.nanoTime() + 5_000_000_000L; System.nanoTime() < until; Thread.sleep(50)) {
                String answer = probe(auth);
                if (answer.startsWith("HTTP/1.1 503")) {
                    refused = answer;
                    break;
                }
            }
            assertTrue(refused != null, "no 503 while eight 256 KiB uploads were held open; they were answered: " + answered(slow));
            assertTrue(refused.contains(PROBLEMS + "service-unavailable"), refused);
            assertTrue(refused.contains("Too many request bodies are being received at once"), refused);
            assertTrue(refused.toLowerCase(java.util.Locale.ROOT).contains("retry-after: 1"), refused);
            assertTrue(refused.contains("application/problem+json"), refused);
            assertEquals(java.util.Collections.nCopies(8, "SocketTimeoutException"), answered(slow), "all eight uploads were let in and wait");
            io.restassured.RestAssured.get("/v1/ping").then().statusCode(200); // no body, nothing to hold
        } finally {
            for (java.net.Socket s : slow) {
                s.close();
            }
        }
    }

    /**
     * HTTP/2 (java.net.http's default client, over plain http by an h2c upgrade): a body sent without Content-Length is
     * read by the REST layer itself, and is held to the same 256 KiB as a chunked HTTP/1.1 one (it was read up to the
     * transport's 2 MiB). Over the limit: 413, with no connection header (HTTP/2 has none; curl refused the answer).
     */
    @Test
    void anHttp2BodyWithoutALength_isHeldToTheSameLimit() throws Exception {
        HttpClient h2 = http2Client();
        String token = AuthFixtures.admin().accessToken();
        byte[] huge = ("{\"slug\":\"" + "a".repeat(300 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> over = h2.send(HttpRequest.newBuilder(root.resolve("/v1/admin/categories")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .header("X-Forwarded-For", "198.51.100.20")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, over.version());
        assertEquals(413, over.statusCode(), over.body());
        assertTrue(over.headers().firstValue("connection").isEmpty(), over.headers().map().toString());
        // its share came back: the client's whole quarter (512 KiB) holds two uploads of the limit again
        java.util.List<java.net.Socket> two = holdUploads("Authorization: Bearer " + token + "\r\nX-Forwarded-For: 198.51.100.20\r\n", 2);
        try {
            awaitBodiesHeld(2 * 256 * 1024, "both let in");
            assertEquals(java.util.Collections.nCopies(2, "SocketTimeoutException"), answered(two), "both let in and waiting");
        } finally {
            for (java.net.Socket s : two) {
                s.close();
            }
        }

        HttpClient again = http2Client(); // the 413 closed the connection it came on
        HttpResponse<String> under = again.send(streamedPost("/v1/admin/categories", "{\"slug\":\"" + "a".repeat(200 * 1024) + "\"}", token),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, under.version());
        assertEquals(400, under.statusCode(), under.body());
        assertTrue(under.body().contains(PROBLEMS + "validation-failed") && under.body().contains("\"field\":\"slug\""), under.body());
    }

    /**
     * Eight slow HTTP/2 uploads without Content-Length from eight clients (each counted as the 256 KiB limit) hold the test profile's 2 MiB of
     * body memory: the next such body is a 503 problem with Retry-After, requests without a body are served, and once the
     * uploads are abandoned bodies are let in again.
     */
    @Test
    void slowHttp2UploadsWithoutALength_holdTheBodyMemory_untilTheyEnd() throws Exception {
        HttpClient h2 = http2Client();
        String token = AuthFixtures.admin().accessToken();
        java.util.concurrent.CountDownLatch abandon = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch waiting = new java.util.concurrent.CountDownLatch(8);
        java.util.List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> slow = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            HttpRequest upload = HttpRequest.newBuilder(root.resolve("/v1/admin/categories")).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                    .header("X-Forwarded-For", "203.0.113." + (i + 101))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.InputStream() {
                        private final byte[] start = ("{\"slug\":\"" + "x".repeat(1000)).getBytes(StandardCharsets.UTF_8);
                        private int sent;

                        @Override
                        public int read() throws IOException {
                            byte[] one = new byte[1];
                            return read(one, 0, 1) < 0 ? -1 : one[0];
                        }

                        /** The body's first kilobyte, then nothing until the test abandons the upload. */
                        @Override
                        public int read(byte[] b, int off, int len) throws IOException {
                            if (sent < start.length) {
                                int n = Math.min(len, start.length - sent);
                                System.arraycopy(start, sent, b, off, n);
                                sent += n;
                                return n;
                            }
                            waiting.countDown(); // once per upload: its first kilobyte has been taken
                            try {
                                abandon.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            throw new IOException("the client gave up");
                        }
                    })).build();
            // a connection each: java.net.http held one of eight blocked bodies back on a shared connection
            slow.add(http2Client().sendAsync(upload, HttpResponse.BodyHandlers.ofString()));
        }
        try {
            assertTrue(waiting.await(10, java.util.concurrent.TimeUnit.SECONDS), "the eight uploads started");
            // and their heads have reached the server (otherwise a probe could take the last share first)
            awaitBodiesHeld(8 * 256 * 1024, "the eight uploads are let in");
            HttpResponse<String> refused = null;
            for (long until = System.nanoTime() + 5_000_000_000L; System.nanoTime() < until; Thread.sleep(50)) {
                HttpResponse<String> r = h2.send(streamedPost("/v1/admin/categories", "{}", token), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 503) {
                    refused = r;
                    break;
                }
            }
            assertTrue(refused != null, "no 503 while eight HTTP/2 uploads without a length were held open");
            assertEquals(HttpClient.Version.HTTP_2, refused.version());
            assertTrue(refused.body().contains(PROBLEMS + "service-unavailable"), refused.body());
            assertTrue(refused.body().contains("Too many request bodies are being received at once"), refused.body());
            assertEquals("1", refused.headers().firstValue("retry-after").orElse(""));
            assertTrue(slow.stream().noneMatch(java.util.concurrent.CompletableFuture::isDone), "the eight uploads were let in and wait");
            HttpResponse<String> read = h2.send(HttpRequest.newBuilder(root.resolve("/v1/ping")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, read.statusCode(), "no body, nothing to hold: " + read.body());
        } finally {
            abandon.countDown();
        }
        HttpResponse<String> after = null;
        for (long until = System.nanoTime() + 5_000_000_000L; System.nanoTime() < until; Thread.sleep(50)) {
            after = http2Client().send(streamedPost("/v1/admin/categories", "{}", token), HttpResponse.BodyHandlers.ofString());
            if (after.statusCode() != 503) {
                break;
            }
        }
        assertEquals(400, after.statusCode(), "the abandoned uploads gave their share back: " + after.body());
        // all of it, not only the one share the probe needed (the next test found six of them still held once)
        awaitNoBodiesHeld("every abandoned HTTP/2 upload gave its share back");
    }

    /**
     * One client's slow uploads hold at most a quarter of the body memory (512 KiB in the test profile): with two 256 KiB
     * uploads in flight its next body is a 503 problem saying so, while another client's body is let in; once they
     * end, the client's bodies are let in again.
     */
    @Test
    void oneClientsSlowUploads_holdAQuarterOfTheBodyMemoryAtMost_otherClientsBodiesAreLetIn() throws Exception {
        awaitNoBodiesHeld("no body of an earlier test is still being received"); // else the uploads below may not both fit
        String auth = "Authorization: Bearer " + AuthFixtures.admin().accessToken() + "\r\n";
        java.util.List<java.net.Socket> slow = holdUploads(auth + "X-Forwarded-For: 198.51.100.7\r\n", 2);
        try {
            // both heads read before the first probe: a probe read between them took a place, and the second upload was the 503
            awaitBodiesHeld(2 * 256 * 1024, "both uploads are let in");
            String same = null;
            for (long until = System.nanoTime() + 5_000_000_000L; System.nanoTime() < until; Thread.sleep(50)) {
                same = probe(auth + "X-Forwarded-For: 198.51.100.7\r\n"); // 503 once the server has read both heads
                if (same.startsWith("HTTP/1.1 503")) {
                    break;
                }
            }
            assertTrue(same.startsWith("HTTP/1.1 503"), same);
            assertTrue(same.contains(PROBLEMS + "service-unavailable") && same.contains("Too many of your request bodies"), same);
            assertTrue(same.toLowerCase(java.util.Locale.ROOT).contains("retry-after: 1"), same);
            String other = probe(auth + "X-Forwarded-For: 198.51.100.8\r\n");
            assertTrue(other.startsWith("HTTP/1.1 400"), "another client's body is let in: " + other);
            assertEquals(java.util.Collections.nCopies(2, "SocketTimeoutException"), answered(slow), "both uploads were let in and wait");
        } finally {
            for (java.net.Socket s : slow) {
                s.close();
            }
        }
        String after = null;
        for (long until = System.nanoTime() + 5_000_000_000L; System.nanoTime() < until; Thread.sleep(50)) {
            after = probe(auth + "X-Forwarded-For: 198.51.100.7\r\n");
            if (!after.startsWith("HTTP/1.1 503")) {
                break;
            }
        }
        assertTrue(after != null && after.startsWith("HTTP/1.1 400"), "the client's uploads gave its share back: " + after);
    }

    /**
     * A client that hangs up while its request waits (its body read, no answer started) gives its body's share back: the
     * answer's start never comes, and the REST layer takes the response's close handler for its own (cancelling the
     * request's work), so the share was never given back, and enough such hang-ups refused every later body of that
     * client, then of everyone (503), until a restart.
     */
    @Test
    void aClientThatHangsUpWhileItsRequestWaits_givesItsBodysShareBack() throws Exception {
        String variant = com.harmony.cart.CartFixtures.variant(1500, 5);
        String auth = "Authorization: Bearer " + AuthFixtures.admin().accessToken() + "\r\n";
        String client = "X-Forwarded-For: 198.51.100.9\r\n";
        String json = "{\"delta\": 1, \"reason\": \"hang-up\"}";
        String body = json + " ".repeat(256 * 1024 - json.length()); // two of them fill the client's share (512 KiB in tests)
        java.util.List<java.net.Socket> waiting = new java.util.ArrayList<>();
        try (RowLock lock = new RowLock(pool, variant)) {
            for (int i = 0; i < 2; i++) {
                java.net.Socket s = new java.net.Socket(root.getHost(), root.getPort());
                s.getOutputStream().write(("POST /v1/admin/variants/" + variant + "/stock-adjustments HTTP/1.1\r\nHost: localhost\r\n" + auth
                        + client + "Content-Type: application/json\r\nIdempotency-Key: " + UUID.randomUUID() + "\r\nContent-Length: "
                        + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                waiting.add(s);
            }
            awaitBodiesHeld(2 * 256 * 1024, "both bodies are read, both requests wait on the lock");
            assertTrue(probe(auth + client).startsWith("HTTP/1.1 503"), "the two waiting bodies hold the client's share");
            for (java.net.Socket s : waiting) {
                s.setSoLinger(true, 0); // hang up hard, as a killed tab or a timed-out proxy does
                s.close();
            }
        }
        String after = null;
        for (long until = System.nanoTime() + 5_000_000_000L; System.nanoTime() < until; Thread.sleep(50)) {
            after = probe(auth + client);
            if (!after.startsWith("HTTP/1.1 503")) {
                break;
            }
        }
        assertTrue(after != null && after.startsWith("HTTP/1.1 400"), "the hung-up requests gave their share back: " + after);
        awaitNoBodiesHeld("all of it");
    }

    /** Bytes of request bodies the service is receiving, from its gauge on the management interface. */
    private long bodiesHeld() {
        String metrics = io.restassured.RestAssured.given().baseUri(management.resolve("/").toString()).get("/q/metrics").then().statusCode(200)
                .extract().asString();
        return metrics.lines().filter(l -> l.startsWith("harmony_http_request_bodies_bytes ")).findFirst()
                .map(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .orElseThrow(() -> new AssertionError("the body memory gauge is published"));
    }

    private void awaitNoBodiesHeld(String why) throws InterruptedException {
        awaitBodiesHeld(0, why);
    }

    private void awaitBodiesHeld(long bytes, String why) throws InterruptedException {
        long held = bodiesHeld();
        for (long until = System.nanoTime() + 10_000_000_000L; held != bytes && System.nanoTime() < until; Thread.sleep(50)) {
            held = bodiesHeld();
        }
        assertEquals(bytes, held, why);
    }

    /** java.net.http's HTTP/2 client, its connection upgraded (h2c) by a first request without a body. */
    private HttpClient http2Client() throws IOException, InterruptedException {
        HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> upgraded = h2.send(HttpRequest.newBuilder(root.resolve("/v1/ping")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, upgraded.version(), "the h2c upgrade was taken");
        return h2;
    }

    /** A POST whose body length is unknown to the client: chunked over HTTP/1.1, no Content-Length over HTTP/2. */
    private HttpRequest streamedPost(String path, String body, String token) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return HttpRequest.newBuilder(root.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))).build();
    }

    /** Slow uploads with these header lines, each announcing the 256 KiB limit and sending its first bytes only. */
    private java.util.List<java.net.Socket> holdUploads(String headerLines, int count) throws IOException {
        String head = "POST /v1/admin/categories HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + headerLines
                + "Content-Length: 262144\r\n\r\n{\"slug\":\"";
        java.util.List<java.net.Socket> slow = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            java.net.Socket s = new java.net.Socket(root.getHost(), root.getPort());
            s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            slow.add(s);
        }
        return slow;
    }

    /** Every test leaves the body memory as it found it: the uploads it abandoned have given their shares back. */
    @org.junit.jupiter.api.AfterEach
    void bodyMemoryIsFreeAgain() throws Exception {
        String auth = "Authorization: Bearer " + AuthFixtures.admin().accessToken() + "\r\n";
        String answer = null;
        for (long until = System.nanoTime() + 5_000_000_000L; System.nanoTime() < until; Thread.sleep(50)) {
            answer = probe(auth);
            if (!answer.startsWith("HTTP/1.1 503")) {
                return;
            }
        }
        throw new AssertionError("the body memory stayed full: " + answer);
    }

    /** A two-byte body, answered 400 (no slug) when it is let in. */
    private String probe(String auth) throws IOException {
        return exchange("POST /v1/admin/categories HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + auth
                + "Content-Length: 2\r\nConnection: close\r\n\r\n{}");
    }

    /** The first line each connection has been answered with so far, if any (an upload answered early no longer counts). */
    private static java.util.List<String> answered(java.util.List<java.net.Socket> sockets) {
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (java.net.Socket s : sockets) {
            try {
                s.setSoTimeout(200);
                byte[] b = new byte[64];
                int n = s.getInputStream().read(b);
                lines.add(n < 0 ? "closed" : new String(b, 0, n, StandardCharsets.ISO_8859_1).lines().findFirst().orElse(""));
            } catch (IOException e) {
                lines.add(e.getClass().getSimpleName());
            }
        }
        return lines;
    }

    /** Sends raw bytes on a fresh connection and answers everything the server sends until it closes (or 10 s pass). */
    private String exchange(String raw) throws IOException {
        try (java.net.Socket socket = new java.net.Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(10_000);
            try {
                socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
            } catch (IOException closedWhileWriting) {
                // the server may close before it has read everything: what it answered is still there to read
            }
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = socket.getInputStream().read(buffer)) != -1; ) {
                    got.write(buffer, 0, n);
                }
            } catch (java.net.SocketTimeoutException stillOpen) {
                throw new AssertionError("the connection was still open after 10 s: " + got.toString(StandardCharsets.UTF_8));
            } catch (java.net.SocketException reset) {
                // closed with unread input: a reset after the answer
            }
            return got.toString(StandardCharsets.UTF_8);
        }
    }

    /** A POST whose body length is unknown to the client, so it goes out with Transfer-Encoding: chunked. */
    private HttpResponse<String> chunkedPost(String path, String body, String token) throws IOException, InterruptedException {
        return http.send(streamedPost(path, body, token), HttpResponse.BodyHandlers.ofString());
    }
}
