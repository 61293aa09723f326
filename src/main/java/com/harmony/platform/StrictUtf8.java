package com.harmony.platform;

import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.io.InputDecorator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A JSON body in UTF-8 must be valid UTF-8. Jackson's own decoder accepts overlong forms ({@code C0 AF} read as
 * "/"), so text could be stored other than it was sent and slip past checks made on its bytes; the JDK's decoder
 * refuses them, with lone continuation bytes and encoded surrogates. Bodies Jackson reads as UTF-16 or UTF-32
 * (the zero bytes of their first characters, or a byte order mark) are left to it.
 *
 * <p>A decorator of the mapper's input (StrictJson installs it) rather than a JAX-RS ReaderInterceptor: any reader
 * interceptor sends every request body the REST layer reads through its generic path, which parses the resource
 * method's parameter annotations by reflection twice a request (the JDK does not cache them), about 2% of the
 * service's CPU in a checkout loop. The body is in memory already (at most harmony.http.max-body-bytes).
 */
final class StrictUtf8 extends InputDecorator {

    private static final long serialVersionUID = 1L;

    @Override
    public InputStream decorate(IOContext context, InputStream in) throws IOException {
        byte[] body = in.readAllBytes();
        check(body, 0, body.length);
        return new ByteArrayInputStream(body);
    }

    @Override
    public InputStream decorate(IOContext context, byte[] src, int offset, int length) throws IOException {
        check(src, offset, length);
        return null; // read as it is
    }

    @Override
    public Reader decorate(IOContext context, Reader reader) {
        return reader; // text already decoded
    }

    @Override
    public java.io.DataInput decorate(IOContext context, java.io.DataInput input) {
        return input; // read a byte at a time by Jackson itself; no caller of the mapper uses it
    }

    /**
     * A parse failure like any other, so every caller of the mapper handles it as one (Vert.x's JSON codec turns it
     * into its DecodeException; a request body's is a 400 malformed-request through ProblemMapper, with this message).
     */
    static final class InvalidUtf8 extends com.fasterxml.jackson.core.JsonProcessingException {

        private static final long serialVersionUID = 1L;

        InvalidUtf8() {
            super("The body is not valid UTF-8.");
        }
    }

    private static void check(byte[] body, int offset, int length) throws InvalidUtf8 {
        if (!otherEncoding(body, offset, length) && !valid(body, offset, length)) {
            throw new InvalidUtf8();
        }
    }

    /** How Jackson tells UTF-16 and UTF-32 apart from UTF-8 (RFC 4627's detection): a zero among the first four bytes. */
    private static boolean otherEncoding(byte[] body, int offset, int length) {
        for (int i = offset; i < offset + Math.min(4, length); i++) {
            if (body[i] == 0) {
                return true;
            }
        }
        return length >= 2 && ((body[offset] == (byte) 0xFE && body[offset + 1] == (byte) 0xFF)
                || (body[offset] == (byte) 0xFF && body[offset + 1] == (byte) 0xFE));
    }

    private static boolean valid(byte[] body, int offset, int length) {
        boolean ascii = true;
        for (int i = offset; i < offset + length && ascii; i++) {
            ascii = body[i] >= 0; // most bodies: nothing to decode
        }
        if (ascii) {
            return true;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body, offset, length));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
