package io.squall.server.hooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.squall.core.error.ErrorName;
import io.squall.core.loop.EventLoop;
import io.squall.server.config.ProxyConfig;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls one proxy of the application. Asked on the loop, it hands the HTTP call to the JDK client (asynchronous:
 * nothing blocks the loop) and its answer back to the loop; all its state (calls in flight, the breaker) is the
 * loop's. Over {@code proxy.max.concurrency} calls in flight it answers {@code Overloaded} at once, and while the
 * breaker is open {@code Unavailable} at once: nothing queues. A call that could not connect is retried once for
 * the idempotent proxies (connect, refresh, subscribe), never for publish and rpc.
 */
public final class ProxyCaller {
    /** The largest answer read: more is a bad answer (an application's answer is a few small fields). */
    static final int MAX_ANSWER_BYTES = 1 << 20;
    private static final Logger log = LoggerFactory.getLogger(ProxyCaller.class);

    private final ProxyKind kind;
    private final ProxyConfig.Endpoint endpoint;
    private final HttpClient http;
    private final EventLoop loop;
    private final ObjectMapper mapper;
    private final HookSignature signature;
    private final String nodeId;
    private final int maxConcurrency;
    private final CircuitBreaker breaker;
    private final ProxyMeters meters;
    private volatile int inFlight; // written on the loop only; volatile for the gauge

    ProxyCaller(ProxyKind kind, ProxyConfig.Endpoint endpoint, ProxyConfig config, HttpClient http, EventLoop loop,
            ObjectMapper mapper, HookSignature signature, String nodeId, MeterRegistry meters) {
        this.kind = kind;
        this.endpoint = endpoint;
        this.http = http;
        this.loop = loop;
        this.mapper = mapper;
        this.signature = signature;
        this.nodeId = nodeId;
        this.maxConcurrency = config.maxConcurrency();
        this.breaker = new CircuitBreaker(config.breakerFailures(), config.breakerCooldown().toNanos());
        this.meters = new ProxyMeters(meters, kind, () -> inFlight,
                () -> breaker.state() == CircuitBreaker.State.CLOSED ? 0 : 1);
    }

    public ProxyKind kind() {
        return kind;
    }

    /**
     * Loop: posts {@code body} with {@code headers} (the passed-through handshake headers) and gives the answer to
     * {@code onLoop}, on the loop: at once when refused without a call, else once the application answered.
     */
    public void call(ObjectNode body, Map<String, String> headers, Consumer<ProxyAnswer> onLoop) {
        loop.checkInLoop();
        if (inFlight >= maxConcurrency) {
            meters.count(ProxyMeters.Outcome.OVERLOADED);
            onLoop.accept(new ProxyAnswer.Failed(ErrorName.OVERLOADED, "too many calls in flight"));
            return;
        }
        if (!breaker.allows(loop.nanoTime())) {
            meters.count(ProxyMeters.Outcome.BREAKER_OPEN);
            onLoop.accept(new ProxyAnswer.Failed(ErrorName.UNAVAILABLE, "breaker open"));
            return;
        }
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree always serializes
        }
        inFlight++;
        send(request(bytes, headers), kind.idempotent() ? 1 : 0, onLoop);
    }

    private HttpRequest request(byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.url())
                .timeout(endpoint.timeout())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return request.header("Content-Type", "application/json")
                .header(HookSignature.HEADER, signature.sign(body))
                .header("X-Squall-Hook", kind.wireName())
                .header("X-Squall-Node", nodeId)
                .build();
    }

    private void send(HttpRequest request, int retries, Consumer<ProxyAnswer> onLoop) {
        long start = System.nanoTime();
        http.sendAsync(request, BoundedBody.handler(MAX_ANSWER_BYTES)).whenComplete((response, failure) -> {
            long took = System.nanoTime() - start;
            // a reply to a call already accepted: never dropped under overload, or the command would hang
            loop.executeCritical(() -> {
                meters.took(took);
                Throwable cause = failure instanceof CompletionException wrapped ? wrapped.getCause() : failure;
                if (cause instanceof ConnectException && retries > 0) {
                    send(request, retries - 1, onLoop);
                    return;
                }
                inFlight--;
                onLoop.accept(answer(response, cause));
            });
        });
    }

    private static boolean tooLarge(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BoundedBody.TooLarge) {
                return true;
            }
        }
        return false;
    }

    /** Loop: the call's outcome, counted, and the breaker told. */
    private ProxyAnswer answer(HttpResponse<byte[]> response, Throwable failure) {
        ProxyAnswer answer;
        ProxyMeters.Outcome outcome;
        if (tooLarge(failure)) {
            answer = ProxyAnswers.bad("over " + MAX_ANSWER_BYTES + " bytes");
            outcome = ProxyMeters.Outcome.BAD_ANSWER;
        } else if (failure instanceof HttpTimeoutException) {
            answer = new ProxyAnswer.Failed(ErrorName.TIMEOUT, "no answer within " + endpoint.timeout());
            outcome = ProxyMeters.Outcome.TIMEOUT;
        } else if (failure != null) {
            answer = new ProxyAnswer.Failed(ErrorName.UNAVAILABLE, failure.toString());
            outcome = ProxyMeters.Outcome.UNAVAILABLE;
        } else if (response.statusCode() != 200) {
            answer = new ProxyAnswer.Failed(ErrorName.UNAVAILABLE, "HTTP status " + response.statusCode());
            outcome = ProxyMeters.Outcome.UNAVAILABLE;
        } else {
            answer = ProxyAnswers.parse(mapper, response.statusCode(), response.body());
            outcome = switch (answer) {
                case ProxyAnswer.Result r -> ProxyMeters.Outcome.RESULT;
                case ProxyAnswer.Refused r -> ProxyMeters.Outcome.REFUSED;
                case ProxyAnswer.Disconnect d -> ProxyMeters.Outcome.DISCONNECT;
                case ProxyAnswer.Failed f -> ProxyMeters.Outcome.BAD_ANSWER;
            };
        }
        meters.count(outcome);
        if (answer instanceof ProxyAnswer.Failed failed) {
            breaker.failed(loop.nanoTime());
            log.warn("{} proxy call to {} failed: {}", kind.wireName(), endpoint.url(), failed.why());
        } else {
            breaker.succeeded();
        }
        return answer;
    }
}
