package io.squall.core.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.Client;
import io.squall.core.error.ErrorName;
import io.squall.api.JsonKey;
import io.squall.core.json.Utf8Length;
import io.squall.core.rpc.RpcException;
import java.util.HashMap;
import java.util.Map;

/**
 * The bytes of state each connection holds, over every service: what {@link StateLimits} bounds. A service checks
 * a client's key with {@link #key} before it looks anything up, {@link #hold}s the key's bytes before it changes
 * anything (so a refusal leaves nothing behind), and {@link #release}s them when the entry goes, whatever ends it
 * (the command, a failure, the disconnect). Loop thread only, but {@link #total} may be read from any thread.
 */
public final class StateBudget {
    private final StateLimits limits;
    private final Map<Client, Long> held = new HashMap<>();
    private volatile long total;

    public StateBudget(StateLimits limits) {
        this.limits = limits;
    }

    public StateLimits limits() {
        return limits;
    }

    /** The key {@code value} stands for; "Invalid params" when it is larger than {@code maxKeyBytes}. */
    public JsonKey key(JsonNode value) {
        JsonKey key = JsonKey.of(value);
        check(key.byteSize());
        return key;
    }

    /** The UTF-8 size of a string key; "Invalid params" when it is larger than {@code maxKeyBytes}. */
    public int keyBytes(String key) {
        int bytes = Utf8Length.of(key);
        check(bytes);
        return bytes;
    }

    /** Whether a call id is no larger than a key may be (a number or a short string, without measuring). */
    public boolean fitsKey(JsonNode callId) {
        if (callId.isNumber() && callId.canConvertToLong() || callId.isBoolean()) {
            return true;
        }
        if (callId.isTextual()) {
            String text = callId.textValue();
            return text.length() * 3 <= limits.maxKeyBytes() || Utf8Length.of(text) <= limits.maxKeyBytes();
        }
        return JsonKey.of(callId).byteSize() <= limits.maxKeyBytes();
    }

    /** The UTF-8 size of a value kept as state but not used as a key (a cursor's position), as its JSON text. */
    public static int valueBytes(JsonNode value) {
        return value.isTextual() ? Utf8Length.of(value.textValue()) : Utf8Length.of(value.toString());
    }

    /**
     * Counts {@code bytes} more for {@code client}; "Too much state", counting nothing, when that would take it
     * past {@code maxConnectionStateBytes}.
     */
    public void hold(Client client, long bytes) {
        if (bytes <= 0) {
            return;
        }
        long now = held.getOrDefault(client, 0L);
        if (now + bytes > limits.maxConnectionStateBytes()) {
            throw new RpcException(ErrorName.TOO_MUCH_STATE);
        }
        held.put(client, now + bytes);
        total += bytes;
    }

    /** Counts {@code bytes} less for {@code client}: an entry it held is gone. */
    public void release(Client client, long bytes) {
        if (bytes <= 0) {
            return;
        }
        Long now = held.get(client);
        if (now == null || now < bytes) {
            throw new IllegalStateException(client.describe() + " releases " + bytes + " bytes but holds " + now);
        }
        if (now == bytes) {
            held.remove(client);
        } else {
            held.put(client, now - bytes);
        }
        total -= bytes;
    }

    /** Bytes {@code client} holds now. */
    public long heldBy(Client client) {
        return held.getOrDefault(client, 0L);
    }

    /** Connections holding any state: 0 once every one has let go (the leak check). */
    public int holders() {
        return held.size();
    }

    /** Bytes held over every connection. */
    public long total() {
        return total;
    }

    private void check(int bytes) {
        if (bytes > limits.maxKeyBytes()) {
            throw new RpcException(ErrorName.INVALID_PARAMS);
        }
    }
}
