package io.squall.snap;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.ServiceContext;
import io.squall.core.error.ErrorName;
import io.squall.core.rpc.NoParams;
import io.squall.core.rpc.Request;
import io.squall.core.rpc.RpcException;
import io.squall.core.rpc.RpcService;
import io.squall.snap.codec.SnapByteList;
import io.squall.snap.codec.SnapMessage;
import io.squall.snap.codec.SnapString;
import io.squall.snap.codec.SnapValues;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Host to node RPC, SNAPconnect's {@code rpc} and {@code mcastRpc}, plus the node directory ({@code nodes}) and
 * link state ({@code link}). A call is answered once its frame was handed to the serial port (SNAPconnect's
 * {@code HOOK_RPC_SENT}: handed over, not delivered; SNAP has no end-to-end acknowledgement), with
 * {@code {"seq":n}}. In the private registry every function may be called; a public instance allows only the
 * functions listed in {@code snap.public.functions}.
 */
public final class SnapService extends RpcService {
    /** SNAP's RPC payload limits (function name and arguments), without the optional RPC CRC. */
    static final int MAX_UNICAST_PAYLOAD = 108;
    static final int MAX_MULTICAST_PAYLOAD = 111;

    private final SnapBridge bridge;
    private final Set<String> allowed;

    /**
     * @param allowed the functions callers may call, or null for any (the trusted backend)
     */
    public SnapService(String name, ServiceContext context, SnapBridge bridge, Set<String> allowed) {
        super(name, context);
        this.bridge = bridge;
        this.allowed = allowed == null ? null : Set.copyOf(allowed);
        commands()
                .addAsync("rpc", RpcParams.class, this::rpc)
                .addAsync("mcastRpc", McastRpcParams.class, this::mcastRpc)
                .add("nodes", NoParams.class, (request, params) -> bridge.nodesView())
                .add("link", NoParams.class, (request, params) -> bridge.linkStatus(
                        bridge.isLinkUp() ? "up" : "down", null));
    }

    private void rpc(Request request, RpcParams params) {
        int address;
        try {
            address = SnapValues.parseAddress(params.address() == null ? "" : params.address());
        } catch (IllegalArgumentException e) {
            throw new RpcException(ErrorName.INVALID_ADDRESS);
        }
        List<Object> args = checkCall(params.function(), params.args(), MAX_UNICAST_PAYLOAD);
        send(request, SnapMessage.unicast(bridge.config().hostAddress(), address, bridge.nextSeq(),
                params.function(), args));
    }

    private void mcastRpc(Request request, McastRpcParams params) {
        if (params.group() < 1 || params.group() > 0xFFFF) {
            throw new RpcException(ErrorName.INVALID_GROUP);
        }
        if (params.ttl() < 1 || params.ttl() > 255) {
            throw new RpcException(ErrorName.INVALID_TTL);
        }
        List<Object> args = checkCall(params.function(), params.args(), MAX_MULTICAST_PAYLOAD);
        send(request, SnapMessage.multicast(bridge.config().hostAddress(), params.group(), params.ttl(),
                bridge.nextSeq(), params.function(), args));
    }

    private List<Object> checkCall(String function, com.fasterxml.jackson.databind.JsonNode rawArgs, int limit) {
        if (function == null || function.isEmpty() || function.length() > 255
                || !function.chars().allMatch(c -> c > ' ' && c <= '~') || function.charAt(0) == '"') {
            throw new RpcException(ErrorName.INVALID_FUNCTION);
        }
        if (allowed != null && !allowed.contains(function)) {
            throw new RpcException(ErrorName.NOT_AUTHORIZED);
        }
        List<Object> args = SnapJson.fromJson(rawArgs);
        if (payloadSize(function, args) > limit) {
            throw new RpcException(ErrorName.PAYLOAD_TOO_LARGE);
        }
        return args;
    }

    /** Function name and arguments as SNAP packs them: a length byte and the name, a count, each argument. */
    static int payloadSize(String function, List<Object> args) {
        int size = 1 + function.getBytes(StandardCharsets.ISO_8859_1).length + 1;
        for (Object arg : args) {
            if (arg instanceof Integer) {
                size += 3;
            } else if (arg instanceof SnapString s) {
                size += 2 + s.length();
            } else if (arg instanceof SnapByteList l) {
                size += 2 + l.length();
            } else {
                size += 1; // None, False, True
            }
        }
        return size;
    }

    private void send(Request request, SnapMessage message) {
        try {
            bridge.send(message, outcome -> {
                if (outcome.written()) {
                    ObjectNode sent = context.codec().mapper().createObjectNode();
                    sent.put("seq", message.seq());
                    request.reply(sent);
                } else {
                    request.error(ErrorName.NOT_SENT);
                }
            });
        } catch (IllegalArgumentException e) {
            throw new RpcException(ErrorName.PAYLOAD_TOO_LARGE); // the configured codec cannot carry it
        }
    }
}
