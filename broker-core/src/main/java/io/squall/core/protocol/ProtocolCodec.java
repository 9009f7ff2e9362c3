package io.squall.core.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.error.ErrorName;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Snorky's wire format: decoding of envelopes and encoding of every frame the server sends. Thread-safe; the
 * transports decode on their IO threads, off the event loop.
 *
 * <p>Replies follow Snorky exactly: a success leaves {@code callId} out when it is null, an error always carries
 * it (possibly null). Errors about a frame that cannot be routed come back in the same shape, addressed to the
 * service the frame named (or {@code null}), so a waiting client promise settles instead of hanging.
 */
public final class ProtocolCodec {
    private final ObjectMapper mapper;
    private final JsonNodeFactory nodes;
    private final ResponseFrames responses;
    private final EnvelopeReader reader;

    public ProtocolCodec(ObjectMapper mapper) {
        this.mapper = mapper;
        this.nodes = mapper.getNodeFactory();
        this.responses = new ResponseFrames(mapper);
        this.reader = new EnvelopeReader(mapper, this);
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** Parses one frame. Never throws. */
    public Decoded decode(String frame) {
        try (JsonParser parser = mapper.createParser(frame)) {
            return reader.frame(parser);
        } catch (IOException e) {
            return reject(ErrorName.INVALID_JSON, null, null);
        }
    }

    /** Parses one frame given as UTF-8 bytes. Never throws. */
    public Decoded decode(byte[] frame) {
        try (JsonParser parser = mapper.createParser(frame)) {
            return reader.frame(parser);
        } catch (IOException e) {
            return reject(ErrorName.INVALID_JSON, null, null);
        }
    }

    /**
     * Parses a backend request body: one envelope or a JSON array of envelopes, each checked on its own. Null when
     * the body is not JSON (a syntax error anywhere, a limit, trailing content). Never throws.
     */
    public BackendBody decodeBody(byte[] body) {
        try (JsonParser parser = mapper.createParser(body)) {
            return reader.body(parser);
        } catch (IOException e) {
            return null;
        }
    }

    /** {@link #decode(byte[])} through a tree of the whole frame: the reference the streaming reader must match. */
    Decoded decodeAsTree(byte[] frame) {
        JsonNode tree;
        try {
            tree = mapper.readTree(frame);
        } catch (IOException | IllegalArgumentException e) { // a number beyond range: NumberFormatException
            return reject(ErrorName.INVALID_JSON, null, null);
        }
        return decode(tree);
    }

    /** Checks an already parsed value (an element of a backend batch, say) for the envelope shape. */
    public Decoded decode(JsonNode tree) {
        if (tree == null || tree.isMissingNode()) {
            return reject(ErrorName.INVALID_JSON, null, null);
        }
        if (!tree.isObject()) {
            return reject(ErrorName.INVALID_ENVELOPE, null, null);
        }
        JsonNode service = tree.get("service");
        JsonNode message = tree.get("message");
        String serviceName = service != null && service.isTextual() ? service.textValue() : null;
        if (serviceName == null || message == null) {
            return reject(ErrorName.INVALID_ENVELOPE, serviceName, callIdOf(message));
        }
        return new Decoded.Ok(new Envelope(serviceName, message));
    }

    /** The {@code callId} of an RPC-shaped message, or null when there is none. */
    public static JsonNode callIdOf(JsonNode message) {
        if (message == null || !message.isObject()) {
            return null;
        }
        JsonNode callId = message.get("callId");
        return callId == null || callId.isNull() ? null : callId;
    }

    Decoded.Rejected rejectFrame(ErrorName error, String service, JsonNode callId) {
        return reject(error, service, callId);
    }

    private Decoded.Rejected reject(ErrorName error, String service, JsonNode callId) {
        return new Decoded.Rejected(error, error(service, callId, error));
    }

    /** {@code {"service":s,"message":{"type":"response","callId":id,"data":data}}}, callId omitted when null. */
    public EncodedMessage response(String service, JsonNode callId, JsonNode data) {
        return responses.response(service, callId, data);
    }

    /** {@link #response} built as a tree and encoded by Jackson: the reference the cached fragments must match. */
    EncodedMessage responseAsTree(String service, JsonNode callId, JsonNode data) {
        ObjectNode message = nodes.objectNode().put("type", "response");
        if (callId != null && !callId.isNull()) {
            message.set("callId", callId);
        }
        message.set("data", data == null ? NullNode.getInstance() : data);
        return encode(service, message);
    }

    /** {@code {"service":s,"message":{"type":"error","callId":id,"message":name}}}, callId always present. */
    public EncodedMessage error(String service, JsonNode callId, ErrorName error) {
        return error(service, callId, error.wireName());
    }

    /** {@link #error(String, JsonNode, ErrorName)} with a name from outside the broker (an application's). */
    public EncodedMessage error(String service, JsonNode callId, String errorName) {
        ObjectNode message = nodes.objectNode().put("type", "error");
        message.set("callId", callId == null ? NullNode.getInstance() : callId);
        message.put("message", errorName);
        return encode(service, message);
    }

    /** {@link #error}, with the params key that was wrong in {@code field} (services of the public API). */
    public EncodedMessage error(String service, JsonNode callId, ErrorName error, String field) {
        ObjectNode message = nodes.objectNode().put("type", "error");
        message.set("callId", callId == null ? NullNode.getInstance() : callId);
        message.put("message", error.wireName());
        message.put("field", field);
        return encode(service, message);
    }

    /** Wraps any service message (a notification, say) in the envelope and encodes it once. */
    public EncodedMessage encode(String service, JsonNode message) {
        ObjectNode envelope = nodes.objectNode();
        envelope.put("service", service);
        envelope.set("message", message);
        return encode(envelope);
    }

    public EncodedMessage encode(Envelope envelope) {
        return encode(envelope.service(), envelope.message());
    }

    /** Converts a Java value (a record, a map, a list) to a tree for a reply's {@code data}. */
    public JsonNode toTree(Object value) {
        return value instanceof JsonNode node ? node : mapper.valueToTree(value);
    }

    public EncodedMessage encode(JsonNode tree) {
        try {
            return new EncodedMessage(mapper.writeValueAsBytes(tree));
        } catch (JsonProcessingException e) {
            // a tree always serializes; reaching this is a bug in Jackson or in a custom node
            throw new UncheckedIOException(e);
        }
    }
}
