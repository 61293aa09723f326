package com.harmony.consent;

import com.harmony.consent.ConsentService.Purpose;
import com.harmony.consent.ConsentService.Requester;
import com.harmony.consent.ConsentService.Source;
import com.harmony.consent.ConsentService.State;
import com.harmony.consent.ConsentService.Subject;
import com.harmony.consent.ConsentViews.CookiePreferencesRequest;
import com.harmony.consent.ConsentViews.CookiePreferencesView;
import com.harmony.platform.Problem;
import com.harmony.platform.ProblemException;
import com.harmony.platform.VisitorToken;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameters;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Cookie preferences (C1, P14, P22), for the storefront's cookie banner: necessary cookies are always
 * on, analytics (and the affiliate cookie, where configured optional) only when chosen. Kept per
 * visitor, and per account once signed in; the account's choice wins at sign-in.
 */
@Path("/v1/cookie-preferences")
@Tag(name = "Consents")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class CookiePreferenceResource {

    private final ConsentService consents;

    CookiePreferenceResource(ConsentService consents) {
        this.consents = consents;
    }

    @GET
    @Parameters({
            @Parameter(name = VisitorToken.HEADER, in = ParameterIn.HEADER, description = "The visitor token (apps); browsers send the harmony_visitor cookie"),
            @Parameter(name = "Sec-GPC", in = ParameterIn.HEADER, description = "Global Privacy Control: 1 opts out of analytics and partner sharing (P23)"),
            @Parameter(name = "DNT", in = ParameterIn.HEADER, description = "Do Not Track: 1 counts as Sec-GPC: 1 where DNT_SIGNAL=opt_out (ignored by default)")})
    @com.harmony.platform.OptionalBearer
    @Operation(operationId = "getCookiePreferences", summary = "The cookie categories and this browser's choice",
            description = "The signed-in account's choice, else the visitor's; before any choice the optional categories are off.")
    @APIResponse(responseCode = "200", description = "The preferences", content = @Content(schema = @Schema(implementation = CookiePreferencesView.class)))
    public Uni<CookiePreferencesView> get(@Context HttpServerRequest http) {
        return consents.requester(http).chain(this::view);
    }

    @PUT
    @Parameters({
            @Parameter(name = VisitorToken.HEADER, in = ParameterIn.HEADER, description = "The visitor token (apps); browsers send the harmony_visitor cookie"),
            @Parameter(name = "Sec-GPC", in = ParameterIn.HEADER, description = "Global Privacy Control: 1 opts out of analytics and partner sharing (P23)"),
            @Parameter(name = "DNT", in = ParameterIn.HEADER, description = "Do Not Track: 1 counts as Sec-GPC: 1 where DNT_SIGNAL=opt_out (ignored by default)")})
    @Consumes(MediaType.APPLICATION_JSON)
    @com.harmony.platform.OptionalBearer
    @Operation(operationId = "setCookiePreferences", summary = "Choose the optional cookie categories",
            description = "Recorded as consents with source cookie_banner and the cookie policy version in force, for the signed-in account "
                    + "and for the visitor. Start a visitor first (POST /v1/visitors) when the browser has neither.")
    @APIResponse(responseCode = "200", description = "The preferences as they now stand", content = @Content(schema = @Schema(implementation = CookiePreferencesView.class)))
    @APIResponse(responseCode = "400", description = "Not a boolean, or a category that is not optional here (types `malformed-request`, `validation-failed`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "Neither a visitor token nor a signed-in account (type `visitor-required`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Opting in to analytics while sending Global Privacy Control (type `gpc-opt-out`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<CookiePreferencesView> set(@Valid @NotNull CookiePreferencesRequest request, @Context HttpServerRequest http) {
        Map<Purpose, Boolean> choices = new EnumMap<>(Purpose.class);
        if (request.analytics() != null) {
            choices.put(Purpose.ANALYTICS, request.analytics());
        }
        if (request.affiliateAttribution() != null) {
            choices.put(Purpose.AFFILIATE_ATTRIBUTION, request.affiliateAttribution());
        }
        consents.checkChoices(choices, http);
        return consents.requester(http).chain(r -> {
            if (r.decider() == null) {
                return Uni.createFrom().failure(new ProblemException(ConsentProblems.NO_VISITOR,
                        "There is no visitor to keep the choice for: start one with POST /v1/visitors, or sign in."));
            }
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Subject s : r.subjects()) {
                chain = chain.chain(() -> consents.record(s, choices, Source.COOKIE_BANNER).replaceWithVoid());
            }
            return chain.chain(() -> view(r));
        });
    }

    private Uni<CookiePreferencesView> view(Requester r) {
        boolean optionalAffiliate = consents.affiliateAttributionOptional();
        List<String> optional = optionalAffiliate ? List.of("analytics", "affiliate_attribution") : List.of("analytics");
        Subject decider = r.decider();
        if (decider == null) {
            return Uni.createFrom().item(new CookiePreferencesView(true, false, !optionalAffiliate, optional, null, null, "none"));
        }
        return consents.current(decider).map(states -> {
            State analytics = states.get(Purpose.ANALYTICS.ordinal());
            State affiliate = states.get(Purpose.AFFILIATE_ATTRIBUTION.ordinal());
            State newest = newer(analytics, optionalAffiliate ? affiliate : null);
            return new CookiePreferencesView(true, analytics.granted(), !optionalAffiliate || affiliate.granted(), optional,
                    newest == null ? null : newest.recordedAt(), newest == null ? null : newest.policyVersion(),
                    decider.accountId() != null ? "account" : "visitor");
        });
    }

    private static State newer(State a, State b) {
        if (b == null || b.recordedAt() == null) {
            return a.recordedAt() == null ? null : a;
        }
        if (a.recordedAt() == null) {
            return b;
        }
        return a.recordedAt().compareTo(b.recordedAt()) >= 0 ? a : b;
    }
}
