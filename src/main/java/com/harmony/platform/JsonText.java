package com.harmony.platform;

/** JSON that PostgreSQL rendered, made ready to send. */
public final class JsonText {

    private JsonText() {
    }

    /**
     * The same JSON without whitespace between tokens. PostgreSQL's json functions write {@code "key" : value, …},
     * Jackson writes compact JSON: every document PostgreSQL builds for an answer (the rows' {@code doc}) comes
     * through here, so answers look alike whoever rendered them, and a catalog page is a tenth smaller. Only for
     * valid JSON (what PostgreSQL built): outside strings, whitespace can only sit between tokens, so all of it
     * goes; inside strings nothing changes. Cached catalog reads are compacted once, when rendered.
     */
    public static String compact(String json) {
        if (json == null) {
            return null;
        }
        int n = json.length();
        StringBuilder out = null; // made at the first whitespace: a compact document is returned as it is
        boolean inString = false;
        boolean escaped = false;
        for (int i = 0; i < n; i++) {
            char c = json.charAt(i);
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                if (out == null) {
                    out = new StringBuilder(n).append(json, 0, i);
                }
                continue;
            }
            if (out != null) {
                out.append(c);
            }
        }
        return out == null ? json : out.toString();
    }
}
