package com.harmony.analytics;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Browser and OS families from a User-Agent header, and nothing finer: versions and device models
 * would help fingerprint a person (P21 keeps only what the reports need). Order matters because
 * browsers borrow each other's tokens: Edge, Opera and Samsung Internet all claim Chrome and Safari,
 * Chrome claims Safari, iOS claims Mac OS X, Android and ChromeOS claim Linux.
 */
final class UserAgents {

    /** What a page view stores about the client software. */
    record Families(Browser browser, Os os) {
    }

    enum Browser {
        CHROME, FIREFOX, SAFARI, EDGE, OPERA, SAMSUNG_INTERNET, OTHER;

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    enum Os {
        WINDOWS, MACOS, IOS, ANDROID, LINUX, CHROMEOS, OTHER;

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Crawlers, link previews, headless and scripted clients. "bot" counts only as its own word or
     * before / or - (Googlebot/2.1, AdsBot-Google), so a phone named CUBOT stays a phone.
     */
    private static final Pattern BOT = Pattern.compile("(?i)(?<!cu)bot(?:\\b|[/-])|crawl|spider|slurp|facebookexternalhit|linkpreview"
            + "|mediapartners|headless|phantomjs|lighthouse|pagespeed|prerender|preview|curl/|wget/|python|okhttp|go-http-client"
            + "|java/|httpclient|axios/|node-fetch|scrapy");

    private UserAgents() {
    }

    /** The families, or null for a bot or a client that sends no User-Agent (no page was shown to a person). */
    static Families parse(String userAgent) {
        if (userAgent == null || userAgent.isBlank() || BOT.matcher(userAgent).find()) {
            return null;
        }
        return new Families(browser(userAgent), os(userAgent));
    }

    private static Browser browser(String ua) {
        if (ua.contains("SamsungBrowser/")) return Browser.SAMSUNG_INTERNET;
        if (ua.contains("Edg/") || ua.contains("Edge/") || ua.contains("EdgA/") || ua.contains("EdgiOS/")) return Browser.EDGE;
        if (ua.contains("OPR/") || ua.contains("Opera") || ua.contains("OPiOS/") || ua.contains("OPT/")) return Browser.OPERA;
        if (ua.contains("Firefox/") || ua.contains("FxiOS/")) return Browser.FIREFOX;
        if (ua.contains("Chrome/") || ua.contains("CriOS/") || ua.contains("Chromium/")) return Browser.CHROME;
        if (ua.contains("Safari/") && (ua.contains("Version/") || ua.contains("iPhone") || ua.contains("iPad"))) return Browser.SAFARI;
        return Browser.OTHER;
    }

    private static Os os(String ua) {
        if (ua.contains("Windows")) return Os.WINDOWS;
        if (ua.contains("iPhone") || ua.contains("iPad") || ua.contains("iPod")) return Os.IOS;
        if (ua.contains("Android")) return Os.ANDROID;
        if (ua.contains("CrOS")) return Os.CHROMEOS;
        if (ua.contains("Macintosh") || ua.contains("Mac OS X")) return Os.MACOS;
        if (ua.contains("Linux")) return Os.LINUX;
        return Os.OTHER;
    }
}
