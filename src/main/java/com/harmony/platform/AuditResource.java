package com.harmony.platform;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Admins search the audit log (P24), newest first. */
@Path("/v1/admin/audit-log")
@Tag(name = "Audit")
@RolesAllowed("admin")
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    private static final String DOC = """
            json_build_object('id', a.id::text, 'actor_id', a.actor_id, 'actor_roles', to_json(a.actor_roles), 'action', a.action,
                'target_type', a.target_type, 'target_id', a.target_id, 'subject_account_id', a.subject_account_id,
                'request_id', a.request_id, 'occurred_at', rfc3339(a.occurred_at))::text""";

    private final Pool pool;

    AuditResource(Pool pool) {
        this.pool = pool;
    }

    @Schema(name = "AuditEntry")
    public record EntryView(@Schema(description = "Position in the log (a decimal number)", pattern = "^[0-9]+$", examples = "379") String id, @Schema(nullable = true) String actorId, List<String> actorRoles,
            @Schema(examples = "order.cancelled") String action, @Schema(examples = "order") String targetType,
            @Schema(nullable = true) String targetId, @Schema(nullable = true, description = "Whose data it was") String subjectAccountId,
            @Schema(nullable = true) String requestId, String occurredAt) {
    }

    @Schema(name = "AuditPage")
    public record EntryPage(List<EntryView> data, boolean hasMore, @Schema(nullable = true) String nextCursor) {
    }

    @GET
    @Operation(operationId = "adminSearchAuditLog", summary = "Search the audit log (admin)",
            description = "Every staff action that read or changed someone else's data: who, with which roles, what, on which target, "
                    + "whose data, the request id and when. Append-only: nobody, the service included, can change or delete an entry.")
    @APIResponse(responseCode = "200", description = "A page of entries", content = @Content(schema = @Schema(implementation = EntryPage.class)))
    @APIResponse(responseCode = "400", description = "Bad filter, limit or cursor (types `validation-failed`, `invalid-cursor`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> search(
            @Parameter(description = "The staff member", schema = @Schema(type = SchemaType.STRING, format = "uuid")) @QueryParam("actor_id") String actor,
            @Parameter(description = "Whose data", schema = @Schema(type = SchemaType.STRING, format = "uuid")) @QueryParam("subject_account_id") String subject,
            @Parameter(description = "An action such as order.cancelled or read") @QueryParam("action") String action,
            @Parameter(description = "A target type such as order, return, account") @QueryParam("target_type") String targetType,
            @Parameter(description = "A target id") @QueryParam("target_id") String targetId,
            @Parameter(description = "Page size, 1 to 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor) {
        int n = QueryParams.intOr("limit", limit, 20, 1, 100);
        List<Object> params = new ArrayList<>();
        List<String> where = new ArrayList<>();
        filter(where, params, "a.actor_id", QueryParams.optionalUuid("actor_id", actor));
        filter(where, params, "a.subject_account_id", QueryParams.optionalUuid("subject_account_id", subject));
        filter(where, params, "a.action", QueryParams.optionalText("action", action, 60));
        filter(where, params, "a.target_type", QueryParams.optionalText("target_type", targetType, 40));
        filter(where, params, "a.target_id", QueryParams.optionalText("target_id", targetId, 200));
        String c = QueryParams.optionalText("cursor", cursor, 500);
        if (c != null) {
            try {
                params.add(Long.parseLong(Cursor.decode(c, "audit").key()));
            } catch (NumberFormatException e) {
                throw Cursor.invalid();
            }
            where.add("a.id < $" + params.size());
        }
        String sql = "select a.id::text as id, a.id::text as k, " + DOC + " as doc from audit_log a "
                + (where.isEmpty() ? "" : "where " + String.join(" and ", where) + " ") + "order by a.id desc limit " + (n + 1);
        return pool.preparedQuery(sql).execute(Tuple.from(params)).map(rows -> Cursor.page(rows, n, "audit"));
    }

    private static void filter(List<String> where, List<Object> params, String column, Object value) {
        if (value != null) {
            params.add(value);
            where.add(column + " = $" + params.size());
        }
    }

}
