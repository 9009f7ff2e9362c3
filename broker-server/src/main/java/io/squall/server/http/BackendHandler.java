package io.squall.server.http;

import io.squall.core.Client;
import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.error.ErrorName;
import io.squall.core.error.HttpRefusal;
import io.squall.core.loop.LoopOverloadedException;
import io.squall.core.protocol.BackendBody;
import io.squall.core.protocol.Decoded;
import io.squall.core.protocol.ProtocolCodec;
import io.undertow.io.Receiver;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /backend}: the trusted backend's door to the private registry, in Snorky's HTTP form. A JSON object is
 * one envelope and gets one envelope back; a JSON array is a batch and gets an array of replies in the same order.
 * RPC errors are HTTP 200 (as Snorky); 401 for a missing or wrong key, 400 for a body that is not JSON, 413 for a
 * body over the limit, 503 when the loop is overloaded. Every request is answered before the deadline: envelopes
 * still unanswered then get a {@code "Timeout"} error (Snorky could hang forever).
 */
public final class BackendHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(BackendHandler.class);

    private final ApiKeyCheck keys;
    private final ServiceRegistry registry;
    private final ServiceContext context;
    private final Duration deadline;
    private final int maxBodyBytes;
    private final Set<BackendCall> open = new HashSet<>(); // loop thread only
    private final BackendMeters meters;

    public BackendHandler(ApiKeyCheck keys, ServiceRegistry registry, ServiceContext context, Duration deadline,
            int maxBodyBytes) {
        this.keys = keys;
        this.registry = registry;
        this.context = context;
        this.deadline = deadline;
        this.maxBodyBytes = maxBodyBytes;
        this.meters = new BackendMeters(context.metrics().registry(), registry);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (!exchange.getRequestMethod().equals(Methods.POST)) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "POST");
            Responses.refuse(exchange, HttpRefusal.USE_POST);
            return;
        }
        ApiKeyCheck.Result key = keys.check(exchange);
        if (key != ApiKeyCheck.Result.OK) {
            Responses.refuse(exchange, key.refusal());
            return;
        }
        BodyReader.read(exchange, maxBodyBytes, this::onBody, this::onBodyError);
    }

    private void onBodyError(HttpServerExchange exchange, IOException error) {
        if (error instanceof RequestTooBigException || error instanceof Receiver.RequestToLargeException) {
            Responses.refuse(exchange, HttpRefusal.BODY_TOO_LARGE, maxBodyBytes);
        } else {
            log.debug("backend request from {} broke: {}", exchange.getSourceAddress(), error.toString());
            exchange.endExchange();
        }
    }

    private void onBody(HttpServerExchange exchange, byte[] body) {
        long start = System.nanoTime();
        ProtocolCodec codec = context.codec();
        // envelopes straight from the parser: no tree of the whole body, only each message's
        BackendBody decoded = codec.decodeBody(body);
        if (decoded == null) {
            Responses.refuse(exchange, HttpRefusal.INVALID_JSON_BODY);
            return;
        }
        boolean batch = decoded.batch();
        List<Decoded> envelopes = decoded.envelopes();
        if (batch && envelopes.isEmpty()) {
            Responses.refuse(exchange, HttpRefusal.EMPTY_BATCH);
            return;
        }
        String remote = String.valueOf(exchange.getSourceAddress());
        BackendCall call = new BackendCall(envelopes.size(), batch, remote, reply -> exchange.getIoThread()
                .execute(() -> Responses.json(exchange, StatusCodes.OK, ByteBuffer.wrap(reply))));
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
            try {
                context.loop().execute(() -> run(call, envelopes, batch, start));
            } catch (LoopOverloadedException e) {
                exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "1");
                Responses.json(exchange, StatusCodes.SERVICE_UNAVAILABLE,
                        codec.error(null, null, ErrorName.OVERLOADED).buffer());
            }
        });
    }

    /** Loop: dispatches every envelope to its slot and arms the deadline. */
    private void run(BackendCall call, List<Decoded> envelopes, boolean batch, long start) {
        open.add(call);
        String label = meters.label(batch, envelopes);
        call.onFinish(() -> {
            open.remove(call);
            meters.record(label, start);
        });
        call.expireWith(index -> timeoutReply(envelopes.get(index)));
        call.deadline(context.loop().schedule(deadline, call::expire));
        for (int i = 0; i < envelopes.size(); i++) {
            Client slot = call.slot(i);
            registry.connected(slot);
            switch (envelopes.get(i)) {
                case Decoded.Ok ok -> registry.dispatch(slot, ok.envelope());
                case Decoded.Rejected rejected -> registry.reject(slot, rejected);
            }
        }
        // each envelope is a connection that ends once it is handled: whatever a service kept for it (a joined
        // channel, a registered name) is cleaned up now instead of leaking; a late reply still reaches its slot
        for (int i = 0; i < call.size(); i++) {
            registry.disconnected(call.slot(i));
        }
    }

    /** Loop: answers every request still waiting ("Timeout" for its open envelopes); used at the end of a shutdown. */
    public void expireAll() {
        context.loop().checkInLoop();
        for (BackendCall call : List.copyOf(open)) {
            call.expire();
        }
    }

    private io.squall.core.protocol.EncodedMessage timeoutReply(Decoded decoded) {
        Decoded.Ok ok = (Decoded.Ok) decoded; // rejected envelopes were answered at once
        return context.codec().error(ok.envelope().service(), ProtocolCodec.callIdOf(ok.envelope().message()),
                ErrorName.TIMEOUT);
    }
}
