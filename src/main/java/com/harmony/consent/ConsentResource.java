package com.harmony.consent;

import com.harmony.consent.ConsentService.Purpose;
import com.harmony.consent.ConsentService.Requester;
import com.harmony.consent.ConsentService.Source;
import com.harmony.consent.ConsentService.Subject;
import com.harmony.consent.ConsentViews.ConsentChanges;
import com.harmony.consent.ConsentViews.ConsentsView;
import com.harmony.consent.ConsentViews.HistoryPage;
import com.harmony.platform.ApiDocs;
import com.harmony.platform.Problem;
import com.harmony.platform.QueryParams;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** My consents (P15, P16, P17): the current choice per purpose, changed here at any time, with the whole history. */
@Path("/v1/me/consents")
@Tag(name = "Consents")
@Authenticated
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class ConsentResource {

    private final ConsentService consents;
    private final JsonWebToken jwt;

    ConsentResource(ConsentService consents, JsonWebToken jwt) {
        this.consents = consents;
        this.jwt = jwt;
    }

    private Subject me() {
        return Subject.account(UUID.fromString(jwt.getSubject()));
    }

    @GET
    @Operation(operationId = "getMyConsents", summary = "My current choice for every purpose",
            description = "Purposes: " + ConsentViews.PURPOSES + ". A purpose never chosen is not given (granted false, source null).")
    @APIResponse(responseCode = "200", description = "Every purpose", content = @Content(schema = @Schema(implementation = ConsentsView.class)))
    public Uni<ConsentsView> get() {
        return consents.current(me()).map(ConsentsView::of);
    }

    @PATCH
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "updateMyConsents", summary = "Give or withdraw consents",
            description = "Each changed purpose is recorded with the time, source account_page and the policy version in force (P30). "
                    + "A request carrying Sec-GPC: 1 cannot opt in to partner sharing or analytics (P23). Cookie purposes also apply to "
                    + "the visitor the request's visitor token proves.")
    @APIResponse(responseCode = "200", description = "Every purpose as it now stands", content = @Content(schema = @Schema(implementation = ConsentsView.class)))
    @APIResponse(responseCode = "400", description = "Unknown purpose or not a boolean (type `malformed-request`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Opting in while sending Global Privacy Control (type `gpc-opt-out`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<ConsentsView> update(@Valid @NotNull ConsentChanges changes, @Context HttpServerRequest http) {
        Map<Purpose, Boolean> choices = changes.choices();
        consents.checkChoices(choices, http);
        Subject me = me();
        return consents.requester(http)
                .chain(r -> consents.record(me, choices, Source.ACCOUNT_PAGE).chain(x -> alsoForVisitor(consents, r, choices, Source.ACCOUNT_PAGE)))
                .chain(() -> consents.current(me)).map(ConsentsView::of);
    }

    @GET
    @Path("/history")
    @Operation(operationId = "getMyConsentHistory", summary = "Every choice I made, newest first")
    @APIResponse(responseCode = "200", description = "A page of recorded choices", content = @Content(schema = @Schema(implementation = HistoryPage.class)))
    @APIResponse(responseCode = "400", description = "Bad limit or cursor (types `validation-failed`, `invalid-cursor`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> history(
            @Parameter(description = "Page size, 1 to 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor) {
        return consents.history(me(), QueryParams.intOr("limit", limit, 20, 1, 100), QueryParams.optionalText("cursor", cursor, 500));
    }

    /** P23: a request that carries an honoured privacy signal cannot opt in to what the signal opts out of. */
    /** Cookie choices made while signed in also hold for the browser's visitor, so they agree after sign-out. */
    static Uni<Void> alsoForVisitor(ConsentService consents, Requester r, Map<Purpose, Boolean> choices, Source source) {
        Map<Purpose, Boolean> cookies = new java.util.EnumMap<>(Purpose.class);
        choices.forEach((p, g) -> {
            if (p.cookie()) cookies.put(p, g);
        });
        return r.visitorId() == null || cookies.isEmpty() ? Uni.createFrom().voidItem()
                : consents.record(Subject.visitor(r.visitorId()), cookies, source).replaceWithVoid();
    }
}
