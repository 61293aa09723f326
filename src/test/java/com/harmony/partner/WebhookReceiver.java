package com.harmony.partner;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

/** A real HTTP receiver on loopback, as a partner would run one: records what arrives and answers as told. */
final class WebhookReceiver implements AutoCloseable {

    /** One request as received. */
    record Received(String id, String timestamp, String signature, String body) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final AtomicInteger count = new AtomicInteger();
    private final java.util.concurrent.ExecutorService threads = Executors.newFixedThreadPool(4);

    /** status maps the request's number (1, 2, …) to the HTTP status to answer; a negative one stops the server instead. */
    WebhookReceiver(IntUnaryOperator status) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(exchange.getRequestHeaders().getFirst("webhook-id"), exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                    exchange.getRequestHeaders().getFirst("webhook-signature"), body));
            int answer = status.applyAsInt(count.incrementAndGet());
            if (answer < 0) {
                new Thread(() -> server.stop(0)).start();
                exchange.close();
                return;
            }
            byte[] out = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
    }

    static WebhookReceiver answering(int status) {
        return new WebhookReceiver(n -> status);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
