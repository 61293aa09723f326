package com.harmony.platform;

import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one answer to "who is the client?", used by throttles, fraud records and visit records. The
 * peer's address counts unless the peer is a configured trusted proxy; then X-Forwarded-For is read
 * from the right (each proxy appends the address it saw), skipping trusted proxies, and the first
 * address no trusted proxy vouches for is the client. Entries to its left are written by the client
 * and never believed. With no trusted proxies configured, forwarded headers are ignored altogether.
 */
@ApplicationScoped
public class ClientAddress {

    private final List<Cidr> trusted;

    ClientAddress(HttpConfig config) {
        Optional<List<String>> trustedProxies = config.trustedProxies();
        List<Cidr> list = new ArrayList<>();
        trustedProxies.orElse(List.of()).stream().map(String::strip).filter(s -> !s.isEmpty()).map(Cidr::parse).forEach(list::add);
        this.trusted = List.copyOf(list);
    }

    public String of(HttpServerRequest request) {
        String peer = request.remoteAddress() == null ? "unknown" : canonical(request.remoteAddress().hostAddress());
        if (!isTrusted(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String header : request.headers().getAll("X-Forwarded-For")) {
            for (String hop : header.split(",")) {
                hops.add(hop.strip());
            }
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = canonical(hops.get(i));
            if (!isTrusted(hop)) {
                return literal(hop) ? hop : peer; // garbage where an address should be: the last proxy is all we know
            }
        }
        return peer;
    }

    /**
     * The key limits count a client under: an IPv4 address, or an IPv6 address's /64 (one subscriber
     * usually holds a whole /64, so counting single IPv6 addresses would give each guesser billions of tries).
     */
    public static String bucket(String address) {
        if (!address.contains(":")) {
            return address;
        }
        byte[] b = bytes(address);
        if (b.length != 16) {
            return address;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
            out.append(Integer.toHexString(((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF))).append(':');
        }
        return out.append(":/64").toString();
    }

    /** One spelling per address: brackets and a port (as some proxies write them) removed, the literal normalised. */
    static String canonical(String raw) {
        String s = raw.strip();
        if (s.startsWith("[") && s.indexOf(']') > 0) {
            s = s.substring(1, s.indexOf(']'));
        } else if (s.indexOf(':') > 0 && s.indexOf(':') == s.lastIndexOf(':') && s.contains(".")) {
            s = s.substring(0, s.indexOf(':')); // IPv4 with a port
        }
        if (!literal(s)) {
            return s;
        }
        byte[] b = bytes(s);
        try {
            return b.length == 0 ? s : InetAddress.getByAddress(b).getHostAddress();
        } catch (UnknownHostException e) {
            return s;
        }
    }

    private boolean isTrusted(String address) {
        if (trusted.isEmpty() || !literal(address)) {
            return false;
        }
        byte[] bytes = bytes(address);
        return trusted.stream().anyMatch(c -> c.contains(bytes));
    }

    /** An IPv4 or IPv6 literal, never a name (a name would make a DNS lookup). */
    private static boolean literal(String s) {
        return !s.isEmpty() && s.length() <= 45 && s.chars().allMatch(ch -> Character.digit(ch, 16) >= 0 || ch == '.' || ch == ':')
                && (s.contains(":") || s.chars().filter(ch -> ch == '.').count() == 3);
    }

    private static byte[] bytes(String literal) {
        byte[] b = literalBytes(literal);
        return b == null ? new byte[0] : b;
    }

    /**
     * The bytes of an IPv4 or IPv6 literal (an IPv4-mapped IPv6 address as its IPv4 bytes), or null when the
     * string is not one. Never a DNS lookup: this runs on the event loop.
     */
    public static byte[] literalBytes(String s) {
        byte[] b = s == null || !literal(s) ? null : NetUtil.createByteArrayFromIpAddressString(s);
        if (b != null && b.length == 16 && isIpv4Mapped(b)) {
            return java.util.Arrays.copyOfRange(b, 12, 16);
        }
        return b;
    }

    private static boolean isIpv4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    /** An address range: base address and prefix length. */
    record Cidr(byte[] base, int prefix) {

        static Cidr parse(String s) {
            String[] parts = s.split("/", 2);
            if (!literal(parts[0])) {
                throw new IllegalArgumentException("harmony.http.trusted-proxies: not an IP address or CIDR range: " + s);
            }
            byte[] base = bytes(parts[0]);
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : base.length * 8;
            if (prefix < 0 || prefix > base.length * 8) {
                throw new IllegalArgumentException("harmony.http.trusted-proxies: bad prefix length in " + s);
            }
            return new Cidr(base, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != base.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != base[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (address[full] & mask) == (base[full] & mask);
        }
    }
}
