package com.harmony.platform;

import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * What the REST layer's own media type negotiation lets through. It takes a quality of 0 in Accept ("not acceptable",
 * RFC 9110 12.5.1) for any other quality: an operation every one of whose media types the header rules out answers 406
 * before it runs, as it does when the header names none of them. And it reads a body labelled with a media range
 * ({@code *}/{@code *}, {@code application/*}) as JSON: a Content-Type names what the body is, so that is 415.
 */
public class MediaTypes {

    private final Map<Method, List<String>> produced = new ConcurrentHashMap<>();

    @ServerRequestFilter
    public void check(ContainerRequestContext request, ResourceInfo resource) {
        String accept = request.getHeaderString(HttpHeaders.ACCEPT);
        if (accept == null || accept.indexOf('=') < 0 || resource.getResourceMethod() == null) {
            return; // no parameters at all, so no q=0: the common case costs one scan of the header
        }
        List<String> types = produced.computeIfAbsent(resource.getResourceMethod(), MediaTypes::typesOf);
        for (String type : types) {
            if (quality(accept, type) != 0) {
                return;
            }
        }
        throw new ProblemException(ProblemType.NOT_ACCEPTABLE, Problems.defaultDetail(ProblemType.NOT_ACCEPTABLE));
    }

    @ServerRequestFilter(preMatching = true)
    public void concreteContentType(ContainerRequestContext request) {
        String type = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (type != null && type.split(";", 2)[0].indexOf('*') >= 0) {
            throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Content-Type names a range of media types, not what the "
                    + "body is: send application/json (or the form type the token endpoint takes).");
        }
    }

    private static List<String> typesOf(Method method) {
        Produces p = method.getAnnotation(Produces.class);
        if (p == null) {
            p = method.getDeclaringClass().getAnnotation(Produces.class);
        }
        return p == null ? List.of(MediaType.APPLICATION_JSON)
                : java.util.Arrays.stream(p.value()).flatMap(v -> java.util.Arrays.stream(v.split(",")))
                        .map(v -> v.split(";")[0].strip().toLowerCase(Locale.ROOT)).toList();
    }

    /**
     * The quality the header gives the media type: that of its most specific range (type/subtype over type/* over
     * {@literal *}/*), the highest among equally specific ones; -1 when no range covers it (the REST layer answers that).
     */
    static double quality(String accept, String type) {
        int slash = type.indexOf('/');
        String main = type.substring(0, slash);
        int best = 0;
        double q = -1;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String name = parts[0].strip().toLowerCase(Locale.ROOT);
            int specificity = name.equals(type) ? 3 : name.equals(main + "/*") ? 2 : name.equals("*/*") ? 1 : 0;
            if (specificity == 0 || specificity < best) {
                continue;
            }
            double given = qOf(parts);
            q = specificity > best ? given : Math.max(q, given);
            best = specificity;
        }
        return q;
    }

    private static double qOf(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].strip();
            if (param.length() > 2 && (param.charAt(0) == 'q' || param.charAt(0) == 'Q') && param.charAt(1) == '=') {
                try {
                    return Double.parseDouble(param.substring(2).strip());
                } catch (NumberFormatException e) {
                    return 1; // not a quality value: read as no preference, as the REST layer reads it
                }
            }
        }
        return 1;
    }
}
