package com.harmony.platform;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Staff reads of the back office (P24): every answered GET under /v1/admin is audited with the path it
 * read (and the names of its query parameters) and whose data it was: the account the path or an account_id
 * parameter names, or the owner of the one record it reads. Written after the answer is ready, so a read never
 * waits on more than one insert (which finds the owner itself).
 */
public class AuditReads {

    private static final Logger LOG = Logger.getLogger(AuditReads.class);
    private static final Pattern ACCOUNT = Pattern.compile("/v1/admin/accounts/([0-9a-fA-F-]{36})");
    /** One record of an admin collection: its collection and id, the id in the shape a UUID is written. */
    private static final Pattern RECORD = Pattern.compile(
            "^/v1/admin/([a-z-]+)/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})");
    /**
     * Whose row a read of one record is, by the record's collection: the owning account, found as the entry is written
     * by the owning feature's query (see {@link PersonalData#recordOwners}). Other records (a product, a contest) are
     * nobody's in particular.
     */
    private final java.util.Map<String, String> owners = new java.util.HashMap<>();

    private final Audit audit;

    AuditReads(Audit audit, @jakarta.enterprise.inject.Any jakarta.enterprise.inject.Instance<PersonalData> features) {
        this.audit = audit;
        features.forEach(f -> owners.putAll(f.recordOwners()));
    }

    @ServerResponseFilter
    Uni<Void> audit(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        int status = response.getStatus();
        // HEAD too: its ETag and length tell what a GET would (a change, a size), so it is a read like one
        if (!("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())) || !path.startsWith("/v1/admin/") || (status >= 300 && status != 304)
                || request.getSecurityContext().getUserPrincipal() == null) {
            return Uni.createFrom().voidItem();
        }
        // the query's names, never its values: a search by email or name must not put them in an append-only log
        var query = request.getUriInfo().getQueryParameters();
        String target = query.isEmpty() ? path : path + "?" + String.join("&", new java.util.TreeSet<>(query.keySet()));
        UUID subject = accountIn(path);
        if (subject == null && query.containsKey("account_id")) {
            subject = uuid(query.getFirst("account_id"));
        }
        Audit.Entry entry = audit.entry("read", "path", target.length() > 200 ? target.substring(0, 200) : target, subject);
        String owner = subject == null ? ownerOf(path) : null;
        if (owner != null) {
            entry = entry.about(owner);
        }
        return audit.write(entry).onFailure().recoverWithUni(e -> {
            LOG.warnf("An admin read was not audited (%s)", e.getClass().getSimpleName());
            return Uni.createFrom().voidItem();
        });
    }

    private static UUID uuid(String value) {
        try {
            return value == null ? null : UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The query that finds the owner of the record the path reads, or null. */
    private String ownerOf(String path) {
        Matcher m = RECORD.matcher(path);
        String query = m.find() ? owners.get(m.group(1)) : null;
        // the id as the audited path ($5) holds it, so the query stays a constant of the feature's
        return query == null ? null : query.formatted("substring($5::varchar from " + (m.start(2) + 1) + " for 36)::uuid");
    }

    private static UUID accountIn(String path) {
        Matcher m = ACCOUNT.matcher(path);
        try {
            return m.find() ? UUID.fromString(m.group(1)) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
