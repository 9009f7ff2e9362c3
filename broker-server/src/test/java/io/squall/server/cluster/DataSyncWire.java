package io.squall.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.io.IOException;
import java.util.function.Function;

/** DataSync's wire messages, as Snorky's backend connector and snorky.js send them, for the cluster tests. */
final class DataSyncWire {
    static final String DEALERS = "datasync.dealers=TasksByOwner=simple:Task:owner.name,"
            + "Unfinished=filter:Task,AllTasks=broadcast:Task";
    static final String ALICE = "[{\"dealer\":\"TasksByOwner\",\"query\":\"alice\"}]";
    static final String ALL = "[{\"dealer\":\"AllTasks\",\"query\":null}]";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DataSyncWire() {}

    /** The backend's reply message ({@code {"type":"response"|"error",...}}) from a node's HTTP backend. */
    static JsonNode backend(TestBroker node, String command, String params) {
        return backend(body -> node.backend(body).body(), command, params);
    }

    static JsonNode backend(Function<String, String> post, String command, String params) {
        String body = post.apply("{\"service\":\"datasync_backend\",\"message\":{\"command\":\"" + command
                + "\",\"params\":" + params + "}}");
        try {
            return MAPPER.readTree(body).path("message");
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    static String authorize(TestBroker node, String items) {
        return data(backend(node, "authorizeSubscription", "{\"items\":" + items + "}")).asText();
    }

    static void publish(TestBroker node, String deltas) {
        data(backend(node, "publishDeltas", "{\"deltas\":" + deltas + "}"));
    }

    static String insert(int id, String owner) {
        return "{\"type\":\"insert\",\"model\":\"Task\",\"data\":{\"id\":" + id + ",\"owner\":{\"name\":\"" + owner
                + "\"}}}";
    }

    static String update(int id, String newOwner, String oldOwner) {
        return "{\"type\":\"update\",\"model\":\"Task\",\"newData\":{\"id\":" + id + ",\"owner\":{\"name\":\""
                + newOwner + "\"}},\"oldData\":{\"id\":" + id + ",\"owner\":{\"name\":\"" + oldOwner + "\"}}}";
    }

    /** The acquire's reply frame; the deltas sent before it stay queued in {@code browser}. */
    static JsonNode acquire(WsTestClient browser, String token, int callId) {
        return browser.call("datasync", "acquireSubscription", "{\"token\":\"" + token + "\"}", callId)
                .path("message");
    }

    static JsonNode cancel(WsTestClient browser, String token, int callId) {
        return browser.call("datasync", "cancelSubscription", "{\"token\":\"" + token + "\"}", callId)
                .path("message");
    }

    /** The next delta {@code browser} receives. */
    static JsonNode delta(WsTestClient browser) {
        JsonNode frame = browser.next();
        assertThat(frame.at("/message/type").asText()).as(frame.toString()).isEqualTo("delta");
        return frame.at("/message/delta");
    }

    static JsonNode data(JsonNode message) {
        assertThat(message.path("type").asText()).as(message.toString()).isEqualTo("response");
        return message.path("data");
    }

    static String error(JsonNode message) {
        assertThat(message.path("type").asText()).as(message.toString()).isEqualTo("error");
        return message.path("message").asText();
    }
}
