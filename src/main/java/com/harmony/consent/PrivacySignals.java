package com.harmony.consent;

import com.harmony.consent.ConsentService.Source;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Global Privacy Control (and DNT, where configured) on any request (P23): the signal opts the
 * signed-in account and the presented visitor out of partner sharing and analytics, recorded once as
 * a consent event with the signal as source. Stricter than the policy's text, which honours neither.
 */
public class PrivacySignals {

    private static final Logger LOG = Logger.getLogger(PrivacySignals.class);

    private final ConsentService consents;

    PrivacySignals(ConsentService consents) {
        this.consents = consents;
    }

    @ServerRequestFilter
    Uni<Void> honour(HttpServerRequest request) {
        Source signal = consents.signal(request);
        if (signal == null) {
            return Uni.createFrom().voidItem();
        }
        return consents.requesterLeniently(request).chain(r -> consents.applySignal(r.subjects(), signal))
                .onFailure().recoverWithUni(e -> {
                    // the operation itself still checks the signal; a lost record is retried on the next request
                    LOG.warnf("Recording a %s opt-out failed (%s)", signal.wire(), e.getClass().getSimpleName());
                    return Uni.createFrom().voidItem();
                });
    }
}
