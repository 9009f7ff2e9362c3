package io.squall.snap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.api.ServiceError;
import io.squall.api.ServiceException;
import io.squall.snap.codec.SnapByteList;
import io.squall.snap.codec.SnapMessage;
import io.squall.snap.codec.SnapString;
import io.squall.snap.codec.SnapValues;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * The {@code snap} service's commands checked and run against this node's bridge: a caller on any node checks a
 * call (SNAP's rules, the public functions) where it arrives, and the node that runs the port sends it. Loop only.
 */
final class SnapCalls {
    /** SNAP's RPC payload limits (function name and arguments), without the optional RPC CRC. */
    static final int MAX_UNICAST_PAYLOAD = 108;
    static final int MAX_MULTICAST_PAYLOAD = 111;

    /** How a call ends: {@code data} to answer, or an error (then {@code data} is null). */
    @FunctionalInterface
    interface Reply {
        void done(JsonNode data, ServiceError error);
    }

    private final SnapBridge bridge;
    private final ObjectMapper mapper;

    SnapCalls(SnapBridge bridge, ObjectMapper mapper) {
        this.bridge = bridge;
        this.mapper = mapper;
    }

    /** Checks an {@code rpc}; {@code allowed} null means any function. @throws ServiceException naming what is wrong */
    static void check(RpcParams params, Set<String> allowed) {
        address(params);
        checkCall(params.function(), params.args(), MAX_UNICAST_PAYLOAD, allowed);
    }

    /** Checks an {@code mcastRpc}; {@code allowed} null means any function. @throws ServiceException */
    static void check(McastRpcParams params, Set<String> allowed) {
        if (params.group() < 1 || params.group() > 0xFFFF) {
            throw new ServiceException(ServiceError.INVALID_GROUP);
        }
        if (params.ttl() < 1 || params.ttl() > 255) {
            throw new ServiceException(ServiceError.INVALID_TTL);
        }
        checkCall(params.function(), params.args(), MAX_MULTICAST_PAYLOAD, allowed);
    }

    /** Runs a checked {@code rpc} here. @throws ServiceException when nothing could be queued */
    void rpc(RpcParams params, Reply reply) {
        List<Object> args = checkCall(params.function(), params.args(), MAX_UNICAST_PAYLOAD, null);
        send(SnapMessage.unicast(bridge.config().hostAddress(), address(params), bridge.nextSeq(), params.function(),
                args), reply);
    }

    /** Runs a checked {@code mcastRpc} here. @throws ServiceException when nothing could be queued */
    void mcastRpc(McastRpcParams params, Reply reply) {
        check(params, null);
        List<Object> args = checkCall(params.function(), params.args(), MAX_MULTICAST_PAYLOAD, null);
        send(SnapMessage.multicast(bridge.config().hostAddress(), params.group(), params.ttl(), bridge.nextSeq(),
                params.function(), args), reply);
    }

    JsonNode nodes() {
        return bridge.nodesView();
    }

    JsonNode link() {
        return bridge.linkStatus(bridge.isLinkUp() ? "up" : "down", null);
    }

    /**
     * Runs {@code command} with its params as JSON, as another node forwarded it (already checked there, so every
     * function is allowed); any failure ends in {@code reply}.
     */
    void run(String command, JsonNode params, Reply reply) {
        try {
            switch (command) {
                case "rpc" -> rpc(mapper.treeToValue(params, RpcParams.class), reply);
                case "mcastRpc" -> mcastRpc(mapper.treeToValue(params, McastRpcParams.class), reply);
                case "nodes" -> reply.done(nodes(), null);
                case "link" -> reply.done(link(), null);
                default -> reply.done(null, ServiceError.UNKNOWN_COMMAND);
            }
        } catch (ServiceException e) {
            reply.done(null, e.error());
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            reply.done(null, ServiceError.INVALID_PARAMS);
        }
    }

    private static int address(RpcParams params) {
        try {
            return SnapValues.parseAddress(params.address() == null ? "" : params.address());
        } catch (IllegalArgumentException e) {
            throw new ServiceException(ServiceError.INVALID_ADDRESS);
        }
    }

    private static List<Object> checkCall(String function, JsonNode rawArgs, int limit, Set<String> allowed) {
        if (function == null || function.isEmpty() || function.length() > 255
                || !function.chars().allMatch(c -> c > ' ' && c <= '~') || function.charAt(0) == '"') {
            throw new ServiceException(ServiceError.INVALID_FUNCTION);
        }
        if (allowed != null && !allowed.contains(function)) {
            throw new ServiceException(ServiceError.NOT_AUTHORIZED);
        }
        List<Object> args = SnapJson.fromJson(rawArgs);
        if (payloadSize(function, args) > limit) {
            throw new ServiceException(ServiceError.PAYLOAD_TOO_LARGE);
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

    private void send(SnapMessage message, Reply reply) {
        try {
            bridge.send(message, outcome -> {
                if (outcome.written()) {
                    ObjectNode sent = mapper.createObjectNode();
                    sent.put("seq", message.seq());
                    reply.done(sent, null);
                } else {
                    reply.done(null, ServiceError.NOT_SENT);
                }
            });
        } catch (IllegalArgumentException e) {
            throw new ServiceException(ServiceError.PAYLOAD_TOO_LARGE); // the configured codec cannot carry it
        }
    }
}
