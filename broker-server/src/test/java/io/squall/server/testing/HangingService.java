package io.squall.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.ServiceContext;
import io.squall.core.rpc.NoParams;
import io.squall.core.rpc.Request;
import io.squall.core.rpc.RpcService;
import io.squall.server.BrokerServer;
import java.util.ArrayList;
import java.util.List;

/**
 * An RPC service for deadline tests: {@code hang} keeps its request and never answers on its own, {@code echo}
 * answers at once with its {@code value}. The test resolves held requests later with {@link #resolveAll}.
 */
public final class HangingService extends RpcService {
    public static final String NAME = "hanging";

    /** Params of {@code echo}. */
    public record EchoParams(JsonNode value) {}

    private final List<Request> held = new ArrayList<>(); // loop thread only

    public HangingService(String name, ServiceContext context) {
        super(name, context);
        commands().addAsync("hang", NoParams.class, (request, params) -> held.add(request));
        commands().add("echo", EchoParams.class, (request, params) -> params.value());
    }

    /** Registers a {@code hanging} service in {@code server}'s private registry (on the loop) and returns it. */
    public static HangingService installPrivate(BrokerServer server) {
        return server.callOnLoop(() -> {
            HangingService service = new HangingService(NAME, server.context());
            server.privateRegistry().register(service);
            return service;
        });
    }

    /** Requests held so far and not yet resolved (call on the loop, e.g. through {@code callOnLoop}). */
    public int heldCount() {
        context.loop().checkInLoop();
        return (int) held.stream().filter(request -> !request.isResolved()).count();
    }

    /** Answers every held request with {@code data} (call on the loop); returns how many were answered. */
    public int resolveAll(Object data) {
        context.loop().checkInLoop();
        int answered = 0;
        for (Request request : held) {
            if (!request.isResolved()) {
                request.reply(data);
                answered++;
            }
        }
        held.clear();
        return answered;
    }

    /** Waits (bounded) until {@code count} requests are held: the calls reached the service. */
    public void awaitHeld(BrokerServer server, int count) {
        Await.until("requests held by " + NAME + " = " + count, () -> server.callOnLoop(this::heldCount) == count);
    }
}
