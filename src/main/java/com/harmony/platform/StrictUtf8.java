package com.harmony.platform;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A JSON body in UTF-8 must be valid UTF-8. Jackson's own decoder accepts overlong forms ({@code C0 AF} read as
 * "/"), so text could be stored other than it was sent and slip past checks made on its bytes; the JDK's decoder
 * refuses them, with lone continuation bytes and encoded surrogates. Bodies Jackson reads as UTF-16 or UTF-32
 * (a declared charset, or the zero bytes of their first characters) are left to it. The body is in memory
 * already (at most harmony.http.max-body-bytes), so this only reads it once more.
 */
@Provider
public class StrictUtf8 implements ReaderInterceptor {

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        MediaType type = context.getMediaType();
        if (type != null && type.getSubtype().endsWith("json") && utf8(type)) {
            byte[] body = context.getInputStream().readAllBytes();
            if (!otherEncoding(body) && !valid(body)) {
                throw new ProblemException(ProblemType.MALFORMED_REQUEST, "The body is not valid UTF-8.");
            }
            context.setInputStream(new ByteArrayInputStream(body));
        }
        return context.proceed();
    }

    private static boolean utf8(MediaType type) {
        String charset = type.getParameters().get(MediaType.CHARSET_PARAMETER);
        return charset == null || charset.equalsIgnoreCase("utf-8") || charset.equalsIgnoreCase("utf8");
    }

    /** How Jackson tells UTF-16 and UTF-32 apart from UTF-8 (RFC 4627's detection): a zero among the first four bytes. */
    private static boolean otherEncoding(byte[] body) {
        for (int i = 0; i < Math.min(4, body.length); i++) {
            if (body[i] == 0) {
                return true;
            }
        }
        return body.length >= 2 && ((body[0] == (byte) 0xFE && body[1] == (byte) 0xFF) || (body[0] == (byte) 0xFF && body[1] == (byte) 0xFE));
    }

    private static boolean valid(byte[] body) {
        boolean ascii = true;
        for (int i = 0; i < body.length && ascii; i++) {
            ascii = body[i] >= 0; // most bodies: nothing to decode
        }
        if (ascii) {
            return true;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
