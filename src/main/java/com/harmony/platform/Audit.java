package com.harmony.platform;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The admin audit log (P24). A feature captures an {@link Entry} while it handles the request (who,
 * with which roles, under which request id) and writes it on the connection of the change it
 * records, so the change and its audit entry commit together or not at all.
 */
@ApplicationScoped
public class Audit {

    private static final String INSERT = """
            insert into audit_log (actor_id, actor_roles, action, target_type, target_id, subject_account_id, request_id)
            values ($1, $2, $3, $4, $5, $6, $7)""";

    @Inject
    Pool pool;
    @Inject
    JsonWebToken jwt;
    @Inject
    CurrentVertxRequest request;

    /** One audited action: what was done to which target, and whose data it is (null when nobody's in particular). */
    public record Entry(UUID actorId, List<String> actorRoles, String action, String targetType, String targetId, UUID subjectAccountId,
            String requestId, String subjectQuery) {

        /**
         * The subject is the account the target row belongs to, found as the entry is written, by a query of the
         * feature that owns the row (a constant, with the target's id as {@code $5::varchar::uuid}): every entry
         * about someone's data says whose it was, though the caller has not read the row.
         */
        public Entry about(String whose) {
            return new Entry(actorId, actorRoles, action, targetType, targetId, subjectAccountId, requestId, whose);
        }
    }

    /** An entry for the signed-in staff member handling this request; call it while the request is being handled. */
    public Entry entry(String action, String targetType, Object targetId, UUID subjectAccountId) {
        UUID actor = null;
        List<String> roles = List.of();
        try {
            if (jwt.getSubject() != null) {
                actor = UUID.fromString(jwt.getSubject());
                roles = jwt.getGroups().stream().sorted().toList();
            }
        } catch (IllegalArgumentException | ContextNotActiveException e) {
            // not a request of a signed-in person (a scheduled job): the entry names no actor
        }
        return new Entry(actor, roles, action, targetType, targetId == null ? null : targetId.toString(), subjectAccountId, requestId(), null);
    }

    private String requestId() {
        try {
            RoutingContext rc = request.getCurrent();
            return rc == null ? null : rc.get(RequestIds.KEY);
        } catch (ContextNotActiveException e) {
            return null;
        }
    }

    /** Writes the entry on the caller's connection, inside its transaction. */
    public Uni<Void> write(SqlClient conn, Entry e) {
        String sql = e.subjectQuery() == null ? INSERT : INSERT.replace("$6, $7)", "coalesce($6, (" + e.subjectQuery() + ")), $7)");
        return conn.preparedQuery(sql).execute(tuple(e)).replaceWithVoid();
    }

    /** Writes the entry inside the caller's Hibernate Reactive transaction. */
    public Uni<Void> write(Mutiny.Session session, Entry e) {
        return session.createNativeQuery("""
                        insert into audit_log (actor_id, actor_roles, action, target_type, target_id, subject_account_id, request_id)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7)""")
                .setParameter(1, e.actorId()).setParameter(2, e.actorRoles().toArray(String[]::new)).setParameter(3, e.action())
                .setParameter(4, e.targetType()).setParameter(5, e.targetId()).setParameter(6, e.subjectAccountId())
                .setParameter(7, e.requestId()).executeUpdate().replaceWithVoid();
    }

    /** Writes the entry on its own (a read, audited after it was answered). */
    public Uni<Void> write(Entry e) {
        return write(pool, e);
    }

    private static Tuple tuple(Entry e) {
        return Tuple.from(new Object[] {e.actorId(), e.actorRoles().toArray(String[]::new), e.action(), e.targetType(), e.targetId(),
                e.subjectAccountId(), e.requestId()});
    }
}
