package com.harmony.partner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The signature and the address rules on their own, without the service. */
class WebhookSigningAndTargetsTest {

    @Test
    void signaturesMatchTheStandardWebhooksReferenceVector() {
        // the example of the Standard Webhooks specification and its reference libraries
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", WebhookSigner.sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}"));
    }

    @Test
    void newSigningSecretsAre32RandomBytes() {
        String a = WebhookSigner.newSecret();
        assertTrue(a.startsWith("whsec_"));
        assertEquals(32, java.util.Base64.getDecoder().decode(a.substring(6)).length);
        assertFalse(a.equals(WebhookSigner.newSecret()));
    }

    @Test
    void onlyPublicAddressesArePublic() throws Exception {
        for (String ok : List.of("93.184.216.34", "8.8.8.8", "2001:4860:4860::8888", "64:ff9b::808:808", "2002:5db8:d822::1",
                "::ffff:0:808:808", "2a00:1450:4001::1")) {
            assertTrue(WebhookTargets.isPublic(InetAddress.getByName(ok)), ok);
        }
        for (String no : List.of("127.0.0.1", "10.0.0.1", "172.31.255.1", "192.168.0.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
                "192.0.0.8", "198.18.0.1", "224.0.0.251", "240.0.0.1", "255.255.255.255", "::", "::1", "fe80::1", "fc00::1", "fd12:3456::1",
                "ff02::1", "::ffff:192.168.0.1", "::a00:1", "64:ff9b::a00:1",
                "2002:7f00:1::", "2002:c0a8:101::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:db8::1",
                // documentation and retired ranges; local-use NAT64 and an IPv4-translated address carrying a private one;
                // reserved IPv6 outside global unicast (discard-only, SRv6) and IETF assignments (benchmarking, ORCHID)
                "192.0.2.1", "198.51.100.1", "203.0.113.1", "192.88.99.1", "3fff::1", "64:ff9b:1::7f00:1", "64:ff9b:1::a00:1",
                "::ffff:0:a00:1", "::ffff:0:7f00:1", "100::1", "5f00::1", "2001:2::1", "2001:10::1", "2001:20::1")) {
            assertFalse(WebhookTargets.isPublic(InetAddress.getByName(no)), no);
        }
    }
}
