package io.squall.server.http;

import io.undertow.io.Receiver;
import io.undertow.server.HttpServerExchange;

/**
 * Reads a whole request body into one array with bulk copies. Undertow's {@code receiveFullBytes} copies the body
 * one byte at a time through a synchronized {@code ByteArrayOutputStream.write}, which was the costliest frame of
 * backend HTTP ingest. Same contract: the callback gets the exact bytes (an empty array for no body); a body over
 * {@code maxBytes} (declared or counted, the limit itself allowed) goes to the error callback with
 * {@link Receiver.RequestToLargeException} and reading stops.
 */
final class BodyReader implements Receiver.PartialBytesCallback {
    private static final int UNKNOWN_LENGTH_START = 8 * 1024;

    private final BodyBuffer body;
    private final Receiver.FullBytesCallback onBody;
    private final Receiver.ErrorCallback onError;
    private boolean failed;

    private BodyReader(int maxBytes, int expected, Receiver.FullBytesCallback onBody, Receiver.ErrorCallback onError) {
        this.body = new BodyBuffer(maxBytes, expected);
        this.onBody = onBody;
        this.onError = onError;
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
        if (!body.append(chunk)) {
            failed = true;
            exchange.getRequestReceiver().pause();
            onError.error(exchange, new Receiver.RequestToLargeException());
            return;
        }
        if (last) {
            onBody.handle(exchange, body.bytes());
        }
    }
}
