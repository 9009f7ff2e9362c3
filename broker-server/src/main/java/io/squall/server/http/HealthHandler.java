package io.squall.server.http;

import io.squall.core.broker.Engine;
import io.squall.core.loop.EventLoop;
import io.squall.core.loop.LoopOverloadedException;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.StatusCodes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code /health/live}: the process and its loop thread are alive. {@code /health/ready} (and {@code /health}):
 * started, not shutting down, the engine reachable (Redis answers; a node that cannot publish must not get clients),
 * and the event loop answers a probe within a second (a stalled loop is not ready). Readiness answers carry
 * {@code details} when there are any (the SNAP link and how its port is read), which never change the status.
 */
public final class HealthHandler implements HttpHandler {
    private static final long PROBE_TIMEOUT_MILLIS = 1_000;

    private final EventLoop loop;
    private final BooleanSupplier loopAlive;
    private final BooleanSupplier accepting;
    private final Engine engine;
    private final boolean readiness;
    private final Supplier<String> details;

    private HealthHandler(EventLoop loop, BooleanSupplier loopAlive, BooleanSupplier accepting, Engine engine,
            boolean readiness, Supplier<String> details) {
        this.loop = loop;
        this.loopAlive = loopAlive;
        this.accepting = accepting;
        this.engine = engine;
        this.readiness = readiness;
        this.details = details;
    }

    public static HealthHandler liveness(EventLoop loop, BooleanSupplier loopAlive) {
        return new HealthHandler(loop, loopAlive, () -> true, null, false, () -> null);
    }

    public static HealthHandler readiness(EventLoop loop, BooleanSupplier loopAlive, BooleanSupplier accepting,
            Engine engine) {
        return readiness(loop, loopAlive, accepting, engine, () -> null);
    }

    /** With {@code details}: a JSON object's text, or null for none; called on an I/O thread. */
    public static HealthHandler readiness(EventLoop loop, BooleanSupplier loopAlive, BooleanSupplier accepting,
            Engine engine, Supplier<String> details) {
        return new HealthHandler(loop, loopAlive, accepting, engine, true, details);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (!loopAlive.getAsBoolean()) {
            answer(exchange, details, false, "event loop stopped");
            return;
        }
        if (!readiness) {
            answer(exchange, details, true, null);
            return;
        }
        if (!accepting.getAsBoolean()) {
            answer(exchange, details, false, "not accepting (starting or shutting down)");
            return;
        }
        if (!engine.available()) {
            answer(exchange, details, false, "engine " + engine.name() + " unavailable");
            return;
        }
        AtomicBoolean answered = new AtomicBoolean();
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
            exchange.getIoThread().executeAfter(() -> {
                if (answered.compareAndSet(false, true)) {
                    answer(exchange, details, false,
                            "event loop did not answer within " + PROBE_TIMEOUT_MILLIS + " ms");
                }
            }, PROBE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            try {
                loop.execute(() -> exchange.getIoThread().execute(() -> {
                    if (answered.compareAndSet(false, true)) {
                        answer(exchange, details, true, null);
                    }
                }));
            } catch (LoopOverloadedException e) {
                if (answered.compareAndSet(false, true)) {
                    answer(exchange, details, false, "event loop overloaded");
                }
            }
        });
    }

    private static void answer(HttpServerExchange exchange, Supplier<String> details, boolean up, String reason) {
        String more = details.get();
        String body = (up ? "{\"status\":\"UP\"" : "{\"status\":\"DOWN\",\"reason\":\"" + reason + "\"")
                + (more == null ? "" : ",\"details\":" + more) + "}";
        Responses.json(exchange, up ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE,
                ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)));
    }
}
