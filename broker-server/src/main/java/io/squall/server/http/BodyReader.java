package io.squall.server.http;

import io.undertow.io.Receiver;
import io.undertow.server.HttpServerExchange;
import java.util.Arrays;

/**
 * Reads a whole request body into one array with bulk copies. Undertow's {@code receiveFullBytes} copies the body
 * one byte at a time through a synchronized {@code ByteArrayOutputStream.write}, which was the costliest frame of
 * backend HTTP ingest. Same contract: the callback gets the exact bytes (an empty array for no body); a body over
 * {@code maxBytes} (declared or counted, the limit itself allowed) goes to the error callback with
 * {@link Receiver.RequestToLargeException} and reading stops.
 */
final class BodyReader implements Receiver.PartialBytesCallback {
    private static final int UNKNOWN_LENGTH_START = 8 * 1024;

    private final int maxBytes;
    private final Receiver.FullBytesCallback onBody;
    private final Receiver.ErrorCallback onError;
    private byte[] body;
    private int size;
    private boolean failed;

    private BodyReader(int maxBytes, int expected, Receiver.FullBytesCallback onBody, Receiver.ErrorCallback onError) {
        this.maxBytes = maxBytes;
        this.onBody = onBody;
        this.onError = onError;
        this.body = new byte[expected];
    }

    static void read(HttpServerExchange exchange, int maxBytes, Receiver.FullBytesCallback onBody,
            Receiver.ErrorCallback onError) {
        Receiver receiver = exchange.getRequestReceiver();
        receiver.setMaxBufferSize(maxBytes); // refuses a declared Content-Length over the limit before reading
        long declared = exchange.getRequestContentLength();
        int expected = declared >= 0 && declared <= maxBytes
                ? (int) declared
                : Math.min(UNKNOWN_LENGTH_START, maxBytes);
        receiver.receivePartialBytes(new BodyReader(maxBytes, expected, onBody, onError), onError);
    }

    @Override
    public void handle(HttpServerExchange exchange, byte[] chunk, boolean last) {
        if (failed) {
            return;
        }
        if (chunk.length > maxBytes - size) {
            failed = true;
            exchange.getRequestReceiver().pause();
            onError.error(exchange, new Receiver.RequestToLargeException());
            return;
        }
        if (chunk.length > body.length - size) {
            body = Arrays.copyOf(body, (int) Math.min(maxBytes, Math.max(2L * body.length, (long) size + chunk.length)));
        }
        System.arraycopy(chunk, 0, body, size, chunk.length);
        size += chunk.length;
        if (last) {
            onBody.handle(exchange, size == body.length ? body : Arrays.copyOf(body, size));
        }
    }
}
