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
     * Eight slow uploads announcing 256 KiB each (or streaming, each counted as the 256 KiB limit) hold all of it: the
     * next request with a body is a 503 problem with Retry-After, unread, while requests without one are served. Once
     * the uploads are abandoned and forty bodies of 200 KiB (announced and streamed) have been answered, eight uploads
     * fill it exactly again: every share came back, none twice.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"Content-Length: 262144", "Transfer-Encoding: chunked"})
    void slowUploadsHoldingTheBodyMemory_makeTheNextBodyA503WithRetryAfter_untilTheyEnd(String framing) throws Exception {
        // an admin write: read in full before it is answered, and no throttle answers it early (feedback's does)
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
        Thread.sleep(500); // the last answers' shares come back as their responses end, a moment after the client reads them
        fillTheBodyMemory(framing, auth);
    }

    /** Eight slow uploads, each held open: all eight are let in, and then a small body is refused with a 503 problem. */
    private void fillTheBodyMemory(String framing, String auth) throws Exception {
        String head = "POST /v1/admin/categories HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + auth + framing + "\r\n\r\n";
        String start = "{\"slug\":\"" + "x".repeat(1000);
        String firstPart = framing.startsWith("Transfer") ? Integer.toHexString(start.length()) + "\r\n" + start + "\r\n" : start;
        java.util.List<java.net.Socket> slow = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                java.net.Socket s = new java.net.Socket(root.getHost(), root.getPort());
                s.getOutputStream().write((head + firstPart).getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                slow.add(s);
            }
            // the server reads the eight heads before the first probe, which could otherwise take the last share first
            Thread.sleep(500);
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
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(root.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
