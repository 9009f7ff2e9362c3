package io.squall.core.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.core.error.ErrorName;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads envelopes straight from the parser: the service name as a string and only the message as a tree, with no
 * tree of the envelope (or, for a backend batch, of the whole body) in between. Same limits, same duplicate-key and
 * trailing-content checks as parsing the whole frame to a tree; the codec's tests run both on the same input.
 */
final class EnvelopeReader {
    private final TreeReader trees;
    private final ProtocolCodec codec;

    EnvelopeReader(ObjectMapper mapper, ProtocolCodec codec) {
        this.trees = new TreeReader(mapper.getDeserializationConfig());
        this.codec = codec;
    }

    /** One frame; any syntax error, limit or trailing content is {@code Invalid JSON}. */
    Decoded frame(JsonParser parser) throws IOException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            return codec.rejectFrame(ErrorName.INVALID_JSON, null, null);
        }
        Decoded decoded = envelope(parser, first);
        return parser.nextToken() == null ? decoded : codec.rejectFrame(ErrorName.INVALID_JSON, null, null);
    }

    /** A backend body: one envelope, or an array of them; null when it is not JSON. Syntax errors throw. */
    BackendBody body(JsonParser parser) throws IOException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            return null;
        }
        BackendBody body;
        if (first == JsonToken.START_ARRAY) {
            List<Decoded> envelopes = new ArrayList<>();
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                envelopes.add(envelope(parser, token));
            }
            body = new BackendBody(true, envelopes);
        } else {
            body = new BackendBody(false, List.of(envelope(parser, first)));
        }
        return parser.nextToken() == null ? body : null;
    }

    /** The value that starts at {@code token}, checked for the envelope shape. */
    private Decoded envelope(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            trees.read(parser); // validates the value (limits, duplicates) like a whole-frame parse
            return codec.rejectFrame(ErrorName.INVALID_ENVELOPE, null, null);
        }
        String service = null;
        JsonNode message = null;
        String name;
        while ((name = parser.nextFieldName()) != null) {
            JsonToken value = parser.nextToken();
            if (name.equals("service") && value == JsonToken.VALUE_STRING) {
                service = parser.getText();
            } else if (name.equals("message")) {
                message = trees.read(parser);
            } else {
                trees.read(parser); // an ignored key or a service that is not a string: read, then dropped
            }
        }
        if (service == null || message == null) {
            return codec.rejectFrame(ErrorName.INVALID_ENVELOPE, service, ProtocolCodec.callIdOf(message));
        }
        return new Decoded.Ok(new Envelope(service, message));
    }
}
