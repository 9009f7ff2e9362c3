package io.squall.core.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.core.Client;
import io.squall.core.error.CloseCode;
import io.squall.core.json.Json;
import io.squall.core.protocol.EncodedMessage;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A {@link Client} that records what it is sent, for tests without sockets (centrifuge's testTransport). */
public final class RecordingClient implements Client {
    private static final ObjectMapper MAPPER = Json.mapper();

    private final String name;
    private final List<EncodedMessage> sent = new ArrayList<>();
    private JsonNode identity;
    private CloseCode closedWith;

    public RecordingClient(String name) {
        this.name = name;
    }

    public RecordingClient() {
        this("test-client");
    }

    public RecordingClient withIdentity(JsonNode identity) {
        this.identity = identity;
        return this;
    }

    @Override
    public void send(EncodedMessage message) {
        sent.add(message);
    }

    @Override
    public Optional<JsonNode> identity() {
        return Optional.ofNullable(identity);
    }

    @Override
    public String describe() {
        return "test:" + name;
    }

    @Override
    public void close(CloseCode reason) {
        if (closedWith == null) {
            closedWith = reason;
        }
    }

    public CloseCode closedWith() {
        return closedWith;
    }

    /** The raw frames, in order. */
    public List<EncodedMessage> frames() {
        return sent;
    }

    /** Every frame parsed as JSON, in order. */
    public List<JsonNode> messages() {
        return sent.stream().map(RecordingClient::parse).toList();
    }

    /** The last frame parsed, or fails when nothing was sent. */
    public JsonNode last() {
        if (sent.isEmpty()) {
            throw new AssertionError(describe() + " was sent nothing");
        }
        return parse(sent.get(sent.size() - 1));
    }

    /** Returns the frames so far and forgets them. */
    public List<JsonNode> drain() {
        List<JsonNode> messages = messages();
        sent.clear();
        return messages;
    }

    private static JsonNode parse(EncodedMessage message) {
        try {
            return MAPPER.readTree(message.text());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
