package com.harmony.platform;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Base64;

/**
 * An opaque keyset cursor: the sort it belongs to, the last sort key and the last id, signed with the server's key
 * together with the listing it was issued for (the request's path). Clients pass it back as-is; a cursor from another
 * sort or another listing, or a tampered one, is a 400, never a page of something else. The filters are not bound: a
 * cached catalog page is shared by requests whose query strings differ in what the listing ignores (a tracking
 * parameter), and a position in one filtered listing is a position in the same listing filtered otherwise. The
 * signature keeps the key from ever reaching PostgreSQL unless this service wrote it: a forged timestamp such as
 * {@code +16:00:01} failed there as an internal error.
 */
public record Cursor(String sort, String key, String id) {

    private static final char SEP = '\u001f';
    private static final String PURPOSE = "cursor";
    /** Set at start by {@link ServerKey}; every instance signs with the same SECRET_KEY, so a cursor works on any of them. */
    private static volatile ServerKey signer;

    static void signWith(ServerKey key) {
        signer = key;
    }

    public String encode() {
        String raw = sort + SEP + key + SEP + id;
        String signed = raw + SEP + signature(raw + SEP + listing());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(signed.getBytes(StandardCharsets.UTF_8));
    }

    public static Cursor decode(String value, String expectedSort) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
            int last = raw.lastIndexOf(SEP);
            if (last < 0 || !MessageDigest.isEqual(signature(raw.substring(0, last) + SEP + listing()).getBytes(StandardCharsets.UTF_8),
                    raw.substring(last + 1).getBytes(StandardCharsets.UTF_8))) {
                throw invalid();
            }
            String[] parts = raw.substring(0, last).split(String.valueOf(SEP), -1);
            if (parts.length != 3 || !parts[0].equals(expectedSort)) {
                throw invalid();
            }
            return new Cursor(parts[0], parts[1], parts[2]);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    /** The listing of the request being answered: its path. Empty outside a request (a cursor made by a job is bound to nothing). */
    private static String listing() {
        io.vertx.ext.web.RoutingContext rc;
        try {
            rc = io.quarkus.arc.Arc.container().instance(io.quarkus.vertx.http.runtime.CurrentVertxRequest.class).get().getCurrent();
        } catch (RuntimeException e) {
            return "";
        }
        return rc == null ? "" : rc.request().path();
    }

    /** 128 bits of HMAC-SHA256 are plenty against forging a page position. */
    private static String signature(String raw) {
        ServerKey key = signer;
        if (key == null) {
            throw new IllegalStateException("cursors are signed with the server key, which has not started");
        }
        return key.sign(PURPOSE, raw).substring(0, 22);
    }

    public static ProblemException invalid() {
        return new ProblemException(ProblemType.INVALID_CURSOR,
                "The cursor is not one this listing issued with these sort options; start again without it.");
    }

    /**
     * A page of JSON documents from rows holding {@code doc} (the document), {@code k} (the sort key as
     * text) and {@code id}, fetched with limit + 1 so the extra row tells whether more follow.
     */
    public static String page(RowSet<Row> rows, int limit, String sort) {
        List<Row> list = new ArrayList<>();
        rows.forEach(list::add);
        boolean more = list.size() > limit;
        List<Row> shown = more ? list.subList(0, limit) : list;
        StringBuilder out = new StringBuilder("{\"data\":[");
        for (int i = 0; i < shown.size(); i++) {
            out.append(i > 0 ? "," : "").append(Rows.doc(shown.get(i)));
        }
        out.append("],\"has_more\":").append(more).append(",\"next_cursor\":");
        if (more) {
            Row last = shown.get(shown.size() - 1);
            out.append('"').append(new Cursor(sort, last.getString("k"), last.getString("id")).encode()).append('"');
        } else {
            out.append("null");
        }
        return out.append('}').toString();
    }
}
