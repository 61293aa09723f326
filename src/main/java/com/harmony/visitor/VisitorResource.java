package com.harmony.visitor;

import com.harmony.platform.ClientAddress;
import com.harmony.platform.Cookies;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Context;
import com.harmony.platform.Problem;
import com.harmony.platform.VisitorToken;
import com.harmony.visitor.VisitorService.NewVisitor;
import com.harmony.visitor.VisitorService.VisitorView;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.time.Duration;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Visitor identity for browsers (the harmony_visitor cookie) and apps (the token in the body, sent back
 * in X-Visitor-Token). Reading a visitor needs its token's secret, never just its id.
 */
@Path("/v1/visitors")
@Tag(name = "Visitors")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class VisitorResource {

    /** How long a browser keeps its visitor cookie. */
    static final Duration COOKIE_LIFETIME = Duration.ofDays(395);

    private final VisitorService visitors;
    private final Cookies cookies;
    private final ClientAddress clients;

    VisitorResource(VisitorService visitors, Cookies cookies, ClientAddress clients) {
        this.visitors = visitors;
        this.cookies = cookies;
        this.clients = clients;
    }

    @Schema(name = "NewVisitor", description = "A visitor and its token: apps keep the token and send it in X-Visitor-Token")
    public record NewVisitorView(String id, @Schema(description = "Shown only this once; proves the holder is this visitor") String token) {
    }

    @POST
    @Operation(operationId = "createVisitor", summary = "Start a visitor identity",
            description = "Browsers get the harmony_visitor cookie (HttpOnly, 13 months); apps keep the token from the body. "
                    + "When the holder signs in or registers, the visitor is mapped to the account (P11).")
    @APIResponse(responseCode = "201", description = "The new visitor and its token",
            headers = {@Header(name = "Location", description = "/v1/visitors/me"),
                    @Header(name = "Set-Cookie", description = "harmony_visitor")},
            content = @Content(schema = @Schema(implementation = NewVisitorView.class)))
    @APIResponse(responseCode = "429", description = "More than 60 new visitors from this client in 10 minutes (type `rate-limited`)",
            headers = @Header(name = "Retry-After", description = "Seconds to wait"),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<NewVisitorView>> create(@Context HttpServerRequest http) {
        return visitors.create(clients.of(http)).map(v -> RestResponse.ResponseBuilder.<NewVisitorView>created(URI.create("/v1/visitors/me"))
                .entity(new NewVisitorView(v.id().toString(), v.token()))
                .header("Set-Cookie", cookies.header(cookies.httpOnly(VisitorToken.COOKIE, v.token(), COOKIE_LIFETIME))).build());
    }

    @GET
    @Path("/me")
    @Operation(operationId = "getMyVisitor", summary = "The visitor my token proves")
    @APIResponse(responseCode = "200", description = "The visitor", content = @Content(schema = @Schema(implementation = VisitorView.class)))
    @APIResponse(responseCode = "404", description = "No token, or a wrong one (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<VisitorView> me(
            @Parameter(in = ParameterIn.HEADER, description = "The visitor token (apps); browsers send the cookie") @HeaderParam(VisitorToken.HEADER) String header,
            @CookieParam(VisitorToken.COOKIE) String cookie) {
        return visitors.view(header != null && !header.isBlank() ? header.strip() : cookie);
    }
}
