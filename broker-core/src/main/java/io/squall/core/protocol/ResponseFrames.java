package io.squall.core.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RPC success replies assembled from cached byte fragments around the call id and the data, instead of two
 * {@code ObjectNode}s and a tree walk per reply: every backend publish is answered this way, so it is the hottest
 * frame the server writes. The bytes are exactly what the tree encoding gives (the codec's tests compare both); a
 * {@code data: null} reply without a call id is one shared frame per service. Thread-safe.
 */
final class ResponseFrames {
    private static final byte[] CALL_ID = ascii(",\"callId\":");
    private static final byte[] DATA = ascii(",\"data\":");
    private static final byte[] END = ascii("}}");
    private static final byte[] NULL = ascii("null");
    private static final int MAX_CACHED_SERVICES = 256;

    private final ObjectMapper mapper;
    private final ConcurrentHashMap<String, Fragments> byService = new ConcurrentHashMap<>();
    private final Fragments nullService;

    /** The frame up to and including {@code "type":"response"}, and the whole data-null reply without call id. */
    private record Fragments(byte[] head, EncodedMessage bareNullReply) {}

    ResponseFrames(ObjectMapper mapper) {
        this.mapper = mapper;
        this.nullService = fragments(null);
    }

    EncodedMessage response(String service, JsonNode callId, JsonNode data) {
        Fragments fragments = service == null ? nullService : byService.get(service);
        if (fragments == null) {
            fragments = fragments(service);
            if (byService.size() < MAX_CACHED_SERVICES) { // service names are few; the bound is only a safeguard
                byService.putIfAbsent(service, fragments);
            }
        }
        boolean hasCallId = callId != null && !callId.isNull();
        boolean nullData = data == null || data.isNull();
        if (!hasCallId && nullData) {
            return fragments.bareNullReply();
        }
        byte[] id = hasCallId ? callIdBytes(callId) : null;
        byte[] value = nullData ? NULL : bytes(data);
        byte[] head = fragments.head();
        int size = head.length + (id == null ? 0 : CALL_ID.length + id.length) + DATA.length + value.length
                + END.length;
        byte[] frame = new byte[size];
        int at = put(frame, 0, head);
        if (id != null) {
            at = put(frame, put(frame, at, CALL_ID), id);
        }
        at = put(frame, put(frame, at, DATA), value);
        put(frame, at, END);
        return new EncodedMessage(frame);
    }

    private Fragments fragments(String service) {
        byte[] name = service == null ? NULL : bytes(service);
        byte[] open = ascii("{\"service\":");
        byte[] type = ascii(",\"message\":{\"type\":\"response\"");
        byte[] head = new byte[open.length + name.length + type.length];
        put(head, put(head, put(head, 0, open), name), type);
        byte[] bare = new byte[head.length + DATA.length + NULL.length + END.length];
        put(bare, put(bare, put(bare, put(bare, 0, head), DATA), NULL), END);
        return new Fragments(head, new EncodedMessage(bare));
    }

    /** Call ids are mostly counters or short ASCII tokens: those are written without a generator. */
    private byte[] callIdBytes(JsonNode callId) {
        if (callId.isInt() || callId.isLong()) {
            return ascii(Long.toString(callId.longValue()));
        }
        if (callId.isTextual() && plainAscii(callId.textValue())) {
            String text = callId.textValue();
            byte[] quoted = new byte[text.length() + 2];
            quoted[0] = '"';
            for (int i = 0; i < text.length(); i++) {
                quoted[i + 1] = (byte) text.charAt(i);
            }
            quoted[quoted.length - 1] = '"';
            return quoted;
        }
        return bytes(callId);
    }

    /** Printable ASCII that JSON writes as is: no control characters, quote or backslash to escape. */
    private static boolean plainAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private byte[] bytes(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            // a tree or a string always serializes; reaching this is a bug in Jackson or in a custom node
            throw new UncheckedIOException(e);
        }
    }

    private static int put(byte[] target, int at, byte[] source) {
        System.arraycopy(source, 0, target, at, source.length);
        return at + source.length;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
