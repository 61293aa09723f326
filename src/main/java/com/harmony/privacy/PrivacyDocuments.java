package com.harmony.privacy;

import com.harmony.platform.Hashes;
import com.harmony.platform.ProblemException;
import com.harmony.platform.Rows;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Export and access documents leave the way they were stored: chunk by chunk, so serving a long
 * history holds one chunk in memory. The emailed link works once (claiming it clears its digest in
 * the same statement, so two parallel clicks cannot both download); a signed-in customer may fetch
 * their own document until it expires. Either way the first download is recorded: an erasure then
 * knows the document reached its owner.
 */
@ApplicationScoped
class PrivacyDocuments {

    /** What a download starts with: the request, its kind (for the file name) and size. */
    record Ready(UUID requestId, String kind, long bytes) {
    }

    private static final String CLAIM = """
            update privacy_document d set downloaded_at = coalesce(d.downloaded_at, now()), token_hash = null from privacy_request r
            where d.token_hash = $1 and d.expires_at > now() and r.id = d.request_id
            returning d.request_id, r.kind, d.bytes""";
    // the link stays usable once after a signed-in download: its digest, not the download time, makes it single-use
    private static final String MINE = """
            update privacy_document d set downloaded_at = coalesce(d.downloaded_at, now()) from privacy_request r
            where d.request_id = $1 and r.id = d.request_id and r.account_id = $2 and d.expires_at > now()
            returning d.request_id, r.kind, d.bytes""";
    private static final String CHUNK = "select data from privacy_document_chunk where request_id = $1 and seq = $2";

    private final Pool pool;

    PrivacyDocuments(Pool pool) {
        this.pool = pool;
    }

    /** Uses up the emailed link; an unknown, used or expired one is refused alike. */
    Uni<Ready> claim(String token) {
        if (token == null || token.isBlank() || token.length() > 200) {
            return Uni.createFrom().failure(invalid());
        }
        return pool.preparedQuery(CLAIM).execute(Tuple.of(Hashes.sha256Hex(token.strip()))).map(rows -> ready(Rows.first(rows)));
    }

    /** A signed-in customer's own document; another's, a missing or an expired one answers 404 alike. The first download is recorded. */
    Uni<Ready> mine(UUID account, UUID request) {
        return pool.preparedQuery(MINE).execute(Tuple.of(request, account)).map(rows -> {
            Row r = Rows.first(rows);
            if (r == null) {
                throw ProblemException.notFound("Document of privacy request " + request);
            }
            return ready(r);
        });
    }

    /** The document's bytes, one stored chunk at a time. */
    Multi<Buffer> content(UUID request) {
        AtomicInteger seq = new AtomicInteger();
        return Multi.createBy().repeating().uni(() -> pool.preparedQuery(CHUNK).execute(Tuple.of(request, seq.getAndIncrement())))
                .until(rows -> rows.size() == 0)
                .map(rows -> Buffer.buffer(rows.iterator().next().getString("data")));
    }

    /** A streamed body written as it is stored (not as a JSON array of chunks), saved as a file, never cached. */
    static Multi<Buffer> attachment(Multi<Buffer> body) {
        return org.jboss.resteasy.reactive.RestMulti.fromMultiData(body).encodeAsJsonArray(false)
                .header("Content-Disposition", "attachment; filename=\"privacy-document.json\"").header("Cache-Control", "no-store").build();
    }

    private static Ready ready(Row r) {
        if (r == null) {
            throw invalid();
        }
        return new Ready(r.getUUID("request_id"), r.getString("kind"), r.getLong("bytes"));
    }

    private static ProblemException invalid() {
        return new ProblemException(PrivacyProblems.DOWNLOAD_INVALID, "The link is invalid, expired or already used; signed-in customers can "
                + "download the document from their privacy requests until it expires, others can file a new request.");
    }
}
