package io.squall.core.testing;

import static io.squall.core.testing.Jsons.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.ServiceRegistry;
import io.squall.core.protocol.EncodedMessage;
import io.squall.core.protocol.Envelope;
import java.util.List;

/**
 * Calls one service's commands through a registry as a client would (Snorky's {@code RPCTestMixin}). The reply is
 * taken out of the caller's recording, so what is left there is only notifications.
 */
public final class RpcCalls {
    private final ServiceRegistry registry;
    private final String service;
    private int nextCallId;

    public RpcCalls(ServiceRegistry registry, String service) {
        this.registry = registry;
        this.service = service;
    }

    /** Calls and returns the reply's {@code message}: {@code {"type":"response"|"error",...}}. */
    public JsonNode reply(RecordingClient client, String command, String paramsJson) {
        int callId = nextCallId++;
        ObjectNode message = (ObjectNode) json("{'command':'" + command + "'}");
        message.set("params", json(paramsJson));
        message.set("callId", IntNode.valueOf(callId));
        registry.dispatch(client, new Envelope(service, message));
        List<EncodedMessage> frames = client.frames();
        for (int i = frames.size() - 1; i >= 0; i--) {
            JsonNode frame = Jsons.parse(frames.get(i));
            JsonNode reply = frame.path("message");
            String type = reply.path("type").asText();
            if ((type.equals("response") || type.equals("error")) && reply.path("callId").asInt(-1) == callId) {
                frames.remove(i);
                return reply;
            }
        }
        throw new AssertionError(client + " got no reply to " + command + " " + paramsJson);
    }

    /** Calls a command that must succeed; returns its {@code data}. */
    public JsonNode data(RecordingClient client, String command, String paramsJson) {
        JsonNode reply = reply(client, command, paramsJson);
        if (!reply.path("type").asText().equals("response")) {
            throw new AssertionError(command + " " + paramsJson + " failed: " + reply);
        }
        return reply.get("data");
    }

    /** Calls a command that must fail; returns the error name. */
    public String error(RecordingClient client, String command, String paramsJson) {
        JsonNode reply = reply(client, command, paramsJson);
        if (!reply.path("type").asText().equals("error")) {
            throw new AssertionError(command + " " + paramsJson + " should have failed: " + reply);
        }
        return reply.path("message").asText();
    }
}
