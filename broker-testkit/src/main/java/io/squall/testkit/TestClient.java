package io.squall.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.Client;
import io.squall.core.error.CloseCode;
import io.squall.core.json.Json;
import io.squall.core.protocol.EncodedMessage;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A client of a {@link ServiceTester}: records every frame the services send it, in order, as the JSON a WebSocket
 * client would read. Made by {@link ServiceTester#connect}; used on the test thread only.
 */
public final class TestClient {
    private final String name;
    private final JsonNode identity;
    private final List<String> frames = new ArrayList<>();
    private final Connection connection = new Connection();
    private int closeCode;

    TestClient(String name, JsonNode identity) {
        this.name = name;
        this.identity = identity;
    }

    public String name() {
        return name;
    }

    /** The identity it connected with, as a token's {@code sub} or a connect proxy would give it; empty: anonymous. */
    public Optional<JsonNode> identity() {
        return Optional.ofNullable(identity);
    }

    /** Every frame it was sent so far, parsed, oldest first. */
    public List<JsonNode> messages() {
        return frames.stream().map(TestClient::parse).toList();
    }

    /** The last frame it was sent; fails when it was sent nothing. */
    public JsonNode last() {
        if (frames.isEmpty()) {
            throw new AssertionError(name + " was sent nothing");
        }
        return parse(frames.get(frames.size() - 1));
    }

    /** The frames so far, forgotten once returned: the next call sees only newer ones. */
    public List<JsonNode> drain() {
        List<JsonNode> messages = messages();
        frames.clear();
        return messages;
    }

    /**
     * The {@code message} of the reply to call {@code callId} ({@code {"type":"response","data":...}} or
     * {@code {"type":"error","message":...}}), or null while it is not answered.
     */
    public JsonNode reply(int callId) {
        for (String frame : frames) {
            JsonNode message = parse(frame).path("message");
            if (message.path("callId").asInt(-1) == callId && message.has("type")
                    && !message.path("type").asText().equals("message")) {
                return message;
            }
        }
        return null;
    }

    /** The close code a service closed it with (RFC 6455 or Squall's 4xxx, docs/protocol.md); 0 while open. */
    public int closeCode() {
        return closeCode;
    }

    Client connection() {
        return connection;
    }

    private static JsonNode parse(String frame) {
        try {
            return Json.mapper().readTree(frame);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "test:" + name;
    }

    /** What the registry and services see: the core's side of this client, kept out of the kit's public types. */
    private final class Connection implements Client {
        @Override
        public void send(EncodedMessage message) {
            frames.add(message.text());
        }

        @Override
        public Optional<JsonNode> identity() {
            return TestClient.this.identity();
        }

        @Override
        public String describe() {
            return TestClient.this.toString();
        }

        @Override
        public int closeCode() {
            return closeCode;
        }

        @Override
        public void close(CloseCode reason) {
            if (closeCode == 0) {
                closeCode = reason.code();
            }
        }

        @Override
        public void close(int code, String reason) {
            if (closeCode == 0) {
                closeCode = code;
            }
        }
    }
}
