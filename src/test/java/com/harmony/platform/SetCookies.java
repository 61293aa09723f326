package com.harmony.platform;

import io.restassured.response.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The Set-Cookie headers of a response as the browser reads them: wire name → attributes (lower-case names; the value under "="). */
final class SetCookies {

    private SetCookies() {
    }

    static Map<String, Map<String, String>> of(Response response) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (String header : response.headers().getValues("Set-Cookie")) {
            String[] parts = header.split(";");
            int eq = parts[0].indexOf('=');
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("=", parts[0].substring(eq + 1).strip());
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].strip();
                int e = p.indexOf('=');
                attributes.put((e < 0 ? p : p.substring(0, e)).toLowerCase(Locale.ROOT), e < 0 ? "" : p.substring(e + 1));
            }
            out.put(parts[0].substring(0, eq).strip(), attributes);
        }
        return out;
    }

    static List<String> names(Response response) {
        return List.copyOf(of(response).keySet());
    }
}
