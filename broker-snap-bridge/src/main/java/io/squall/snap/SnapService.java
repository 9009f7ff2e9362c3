package io.squall.snap;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.ServiceContext;
import io.squall.core.rpc.NoParams;
import io.squall.core.rpc.Request;
import io.squall.core.rpc.RpcService;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Host to node RPC, SNAPconnect's {@code rpc} and {@code mcastRpc}, plus the node directory ({@code nodes}) and
 * link state ({@code link}). A call is answered once its frame was handed to the serial port (SNAPconnect's
 * {@code HOOK_RPC_SENT}: handed over, not delivered; SNAP has no end-to-end acknowledgement), with
 * {@code {"seq":n}}. In the private registry every function may be called; a public instance allows only the
 * functions listed in {@code snap.public.functions}. On several nodes a call is checked where it arrives and, when
 * another node runs the port, carried there and answered from there ({@link SnapRoute}).
 */
public final class SnapService extends RpcService {
    private final SnapCalls calls;
    private final SnapRoute route;
    private final Set<String> allowed;

    /** On one node: every call runs on this node's bridge. */
    public SnapService(String name, ServiceContext context, SnapBridge bridge, Set<String> allowed) {
        this(name, context, bridge, SnapRoute.LOCAL, allowed);
    }

    /**
     * @param route where calls run: here, or on the node that owns the port
     * @param allowed the functions callers may call, or null for any (the trusted backend)
     */
    SnapService(String name, ServiceContext context, SnapBridge bridge, SnapRoute route, Set<String> allowed) {
        super(name, context);
        this.calls = new SnapCalls(bridge, context.codec().mapper());
        this.route = route;
        this.allowed = allowed == null ? null : Set.copyOf(allowed);
        commands()
                .addAsync("rpc", RpcParams.class, (request, params) -> {
                    SnapCalls.check(params, this.allowed);
                    call(request, "rpc", params, reply -> calls.rpc(params, reply));
                })
                .addAsync("mcastRpc", McastRpcParams.class, (request, params) -> {
                    SnapCalls.check(params, this.allowed);
                    call(request, "mcastRpc", params, reply -> calls.mcastRpc(params, reply));
                })
                .addAsync("nodes", NoParams.class, (request, params) ->
                        call(request, "nodes", params, reply -> reply.done(calls.nodes(), null)))
                .addAsync("link", NoParams.class, (request, params) ->
                        call(request, "link", params, reply -> reply.done(calls.link(), null)));
    }

    private void call(Request request, String command, Object params, Consumer<SnapCalls.Reply> here) {
        SnapCalls.Reply reply = (data, error) -> {
            if (request.isResolved()) {
                return;
            }
            if (error != null) {
                request.error(error);
            } else {
                request.reply(data);
            }
        };
        if (route.local()) {
            here.accept(reply); // an RpcException thrown here is the request's error, as before
        } else {
            JsonNode json = context.codec().mapper().valueToTree(params);
            route.forward(command, json, reply);
        }
    }
}
