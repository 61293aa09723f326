package com.harmony.platform;

import static com.harmony.AuthFixtures.register;
import static com.harmony.AuthFixtures.uniqueEmail;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The client address behind proxies: only a trusted proxy (127.0.0.1 in the test profile) may tell it,
 * and only the right-most entry it did not write itself counts. Observed through the per-address
 * sign-in throttle: five wrong guesses from one client, and the sixth is refused.
 */
@QuarkusTest
class ClientAddressTest {

    @Test
    void anUntrustedPeerCannotDodgeThrottlesWithForgedForwardedHeaders() throws IOException {
        String email = uniqueEmail();
        register(email);
        // 127.0.0.2 is a loopback address the test profile does not trust
        for (int i = 0; i < 5; i++) {
            assertEquals(401, signIn("127.0.0.2", "203.0.113." + (i + 1), email));
        }
        assertEquals(429, signIn("127.0.0.2", "203.0.113.99", email), "a new forged address changes nothing");
    }

    @Test
    void behindATrustedProxyTheRightMostUntrustedAddressCounts_notWhatTheClientWroteBeforeIt() throws IOException {
        String email = uniqueEmail();
        register(email);
        String client = "198.51.100." + (1 + (int) (Math.random() * 250));
        for (int i = 0; i < 5; i++) {
            assertEquals(401, signIn("127.0.0.1", "10.9.9." + i + ", " + client, email));
        }
        assertEquals(429, signIn("127.0.0.1", "10.9.9.77, " + client, email), "the forged left-most entry is ignored");
        assertEquals(401, signIn("127.0.0.1", "10.9.9.77, 198.51.100.251", email), "another client, as the proxy saw it, is not locked");
    }

    @Test
    void addressesAreCountedInOneSpelling_andIpv6ClientsPerSlash64() throws IOException {
        assertEquals("203.0.113.9", ClientAddress.canonical("203.0.113.9:5678"), "a port some proxies add is not a new client");
        assertEquals(ClientAddress.canonical("2001:db8::1"), ClientAddress.canonical("[2001:DB8:0::1]:443"));
        assertEquals(ClientAddress.bucket("2001:db8:0:7:1:2:3:4"), ClientAddress.bucket("2001:db8:0:7:ffff::9"));
        String email = uniqueEmail();
        register(email);
        // one subscriber's /64, a new address for every guess: still one client for the throttle
        for (int i = 0; i < 5; i++) {
            assertEquals(401, signIn("127.0.0.1", "2001:db8:77:1::" + Integer.toHexString(i + 1), email));
        }
        assertEquals(429, signIn("127.0.0.1", "2001:db8:77:1:abcd::1", email));
    }

    /** A wrong-password sign-in sent over a raw socket bound to a chosen local address; answers the status code. */
    private static int signIn(String from, String forwardedFor, String email) throws IOException {
        String body = "{\"email\":\"" + email + "\",\"password\":\"a wrong guess\"}";
        String request = "POST /v1/auth/sign-in HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "X-Forwarded-For: " + forwardedFor + "\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
                + "\r\nConnection: close\r\n\r\n" + body;
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), RestAssured.port), 5000);
            socket.setSoTimeout(30000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                head.write(b);
            }
            String status = head.toString(StandardCharsets.US_ASCII);
            return Integer.parseInt(status.split(" ")[1]);
        }
    }
}
