package com.harmony.partner;

import com.harmony.platform.ProblemException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The SSRF guard: a webhook target must be https (http only where configured, for development), and
 * every address its host resolves to must be public: no loopback, private, link-local, unique-local,
 * carrier-grade NAT, multicast, reserved, documentation or unspecified address, unless configured (tests on loopback).
 * Checked when a subscription is made or changed and again before each delivery, since DNS can change;
 * the delivery then connects to the very address that was checked.
 */
@ApplicationScoped
class WebhookTargets {

    /** A checked target: where to connect, and the host and path to ask for. */
    record Target(String host, int port, boolean tls, InetAddress address, String pathAndQuery) {
    }

    private final PartnerConfig.Webhooks config;

    WebhookTargets(PartnerConfig config) {
        this.config = config.webhooks();
    }

    /** Parses and checks the URL and its resolved addresses; DNS runs on a worker thread. */
    Uni<Target> check(String url) {
        // a refusal is a failed Uni, never a throw at assembly: the delivery worker records it as the attempt's outcome
        return Uni.createFrom().item(() -> resolve(parse(url))).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url == null ? "" : url.strip());
        } catch (URISyntaxException e) {
            throw refused("The url is not a valid absolute URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && config.allowHttp())) {
            throw refused("The url must use https.");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw refused("The url needs a host and may carry neither credentials nor a fragment.");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw refused("The url's port must be 1 to 65535.");
        }
        return uri;
    }

    private Target resolve(URI uri) {
        String host = uri.getHost();
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(bare);
        } catch (UnknownHostException e) {
            throw refused("The url's host does not resolve.");
        }
        if (!config.allowPrivateTargets()) {
            for (InetAddress a : addresses) {
                if (!isPublic(a)) {
                    throw refused("The url's host resolves to a private, loopback, link-local or otherwise non-public address.");
                }
            }
        }
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new Target(bare, port, tls, addresses[0], path);
    }

    /**
     * Whether an address is on the public internet, after IANA's special-purpose registries: none that is not globally
     * reachable, none set aside for documentation or benchmarks; an IPv6 address outside global unicast (2000::/3) is
     * refused whole, and one that embeds an IPv4 address (IPv4-compatible, -mapped or -translated, NAT64, 6to4) is
     * judged by that address.
     */
    static boolean isPublic(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            int third = b[2] & 0xff;
            return !(first == 0 || first >= 240                       // "this network", reserved and broadcast
                    || first == 100 && second >= 64 && second < 128    // carrier-grade NAT 100.64/10
                    || first == 192 && second == 0 && (third == 0 || third == 2) // IETF protocol assignments 192.0.0/24, TEST-NET-1
                    || first == 192 && second == 88 && third == 99     // the retired 6to4 relay anycast 192.88.99/24
                    || first == 198 && (second == 18 || second == 19)  // benchmarking 198.18/15
                    || first == 198 && second == 51 && third == 100    // TEST-NET-2
                    || first == 203 && second == 0 && third == 113);   // TEST-NET-3
        }
        if (a instanceof Inet6Address) {
            int first = b[0] & 0xff;
            // ::a.b.c.d (IPv4-compatible), ::ffff:a.b.c.d (mapped), ::ffff:0:a.b.c.d (translated) and 64:ff9b::a.b.c.d (NAT64)
            boolean compatible = zero(b, 0, 12);
            boolean mapped = zero(b, 0, 10) && b[10] == (byte) 0xff && b[11] == (byte) 0xff;
            boolean translated = zero(b, 0, 8) && b[8] == (byte) 0xff && b[9] == (byte) 0xff && zero(b, 10, 12);
            boolean nat64 = b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b && zero(b, 4, 12);
            if (compatible || mapped || translated || nat64) {
                return isPublicV4(b[12], b[13], b[14], b[15]);
            }
            if (first == 0x20 && b[1] == 0x02) {
                return isPublicV4(b[2], b[3], b[4], b[5]); // 6to4 2002::/16
            }
            if ((first & 0xe0) != 0x20) {
                return false; // outside global unicast: unique-local, discard-only 100::/64, local-use NAT64 64:ff9b:1::/48, SRv6 5f00::/16, ...
            }
            boolean ietf = first == 0x20 && b[1] == 0x01 && (b[2] & 0xfe) == 0; // 2001::/23: Teredo, benchmarking, ORCHID, ...
            boolean documentation = first == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == (byte) 0xb8 // 2001:db8::/32
                    || first == 0x3f && b[1] == (byte) 0xff && (b[2] & 0xf0) == 0;                      // 3fff::/20
            return !(ietf || documentation);
        }
        return true;
    }

    private static boolean isPublicV4(byte... v4) {
        try {
            return isPublic(InetAddress.getByAddress(v4));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static ProblemException refused(String detail) {
        return new ProblemException(PartnerProblems.TARGET_REFUSED, detail);
    }
}
