package com.harmony.consent;

import com.harmony.consent.ConsentService.Source;
import com.harmony.consent.ConsentService.Unsubscription;
import com.harmony.consent.ConsentViews.UnsubscribeView;
import com.harmony.platform.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * One-click unsubscribe (P16, RFC 8058): the signed link in every marketing email withdraws that
 * consent without signing in. Reading the link changes nothing (mail scanners follow links); the POST
 * a mail client sends for List-Unsubscribe-Post, or the page's button, withdraws.
 */
@Path("/v1/unsubscribe")
@Tag(name = "Consents")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class UnsubscribeResource {

    private final ConsentService consents;

    UnsubscribeResource(ConsentService consents) {
        this.consents = consents;
    }

    @GET
    @Operation(operationId = "previewUnsubscribe", summary = "What an unsubscribe link withdraws",
            description = "Changes nothing, so link scanners cannot unsubscribe anyone; the page shows the choice and posts to withdraw.")
    @APIResponse(responseCode = "200", description = "The purpose and its current state", content = @Content(schema = @Schema(implementation = UnsubscribeView.class)))
    @APIResponse(responseCode = "400", description = "A damaged or forged link (type `unsubscribe-link-invalid`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<UnsubscribeView> preview(@Parameter(description = "The token from the email's link", required = true) @QueryParam("token") String token) {
        Unsubscription u = consents.checkUnsubscribe(token);
        return consents.current(u.subject()).map(states -> new UnsubscribeView(u.purpose().wire(), states.get(u.purpose().ordinal()).granted()));
    }

    @POST
    @Operation(operationId = "unsubscribe", summary = "Withdraw the consent a link names, without signing in",
            description = "RFC 8058 one-click: mail clients post List-Unsubscribe=One-Click here; any body is accepted and ignored. "
                    + "Recorded with source unsubscribe_link; repeating it changes nothing.")
    @APIResponse(responseCode = "200", description = "The purpose, now withdrawn", content = @Content(schema = @Schema(implementation = UnsubscribeView.class)))
    @APIResponse(responseCode = "400", description = "A damaged or forged link (type `unsubscribe-link-invalid`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<UnsubscribeView> unsubscribe(@Parameter(description = "The token from the email's link", required = true) @QueryParam("token") String token) {
        Unsubscription u = consents.checkUnsubscribe(token);
        return consents.record(u.subject(), Map.of(u.purpose(), false), Source.UNSUBSCRIBE_LINK)
                .onFailure(com.harmony.platform.Rows::isForeignKeyViolation).recoverWithNull() // an erased person has nothing left to withdraw
                .replaceWith(new UnsubscribeView(u.purpose().wire(), false));
    }
}
