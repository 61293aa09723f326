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
