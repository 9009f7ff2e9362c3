package io.squall.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.json.Json;
import io.squall.server.testing.BrokerMeters;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every frame that cannot be served gets exactly one error frame, named as in docs/protocol.md, addressed to the
 * service the frame named (when it was a string) and echoing its callId (when the message was an object with one);
 * the connection survives all of them. Snorky dropped most of these silently or crashed on them.
 */
class MalformedFramesIT {
    private static final ObjectMapper MAPPER = Json.mapper();
    private static final String INVALID_JSON = "Invalid JSON";
    private static final String INVALID_ENVELOPE = "Invalid envelope";
    private static final String UNKNOWN_SERVICE = "Unknown service";
    private static final String INVALID_MESSAGE = "Invalid message";
    private static final String UNKNOWN_COMMAND = "Unknown command";
    private static final String INVALID_PARAMS = "Invalid params";

    /** One malformed frame and the error it must get: service and callId as JSON text, or null. */
    private record Case(String frame, boolean binary, String error, String service, String callId) {}

    private final List<Case> cases = new ArrayList<>();
    private TestBroker broker;

    @BeforeEach
    void start() {
        broker = TestBroker.start();
    }

    @AfterEach
    void stop() {
        broker.awaitNoClients();
        broker.close();
    }

    @Test
    void every_malformed_frame_gets_exactly_one_named_error_and_the_connection_keeps_working() {
        invalidJson();
        invalidEnvelopes();
        unknownServices();
        invalidMessages();
        unknownCommands();
        invalidParams();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(50);
        Map<String, Double> rejectedBefore = rejectedFrames();

        try (WsTestClient client = broker.connect()) {
            for (Case c : cases) {
                if (c.binary()) {
                    client.sendBinary(c.frame().getBytes(StandardCharsets.UTF_8));
                } else {
                    client.send(c.frame());
                }
                // replies come in order, so a missing or extra reply shows up as a mismatch here or below
                assertThat(client.next()).as("reply to %s", c.frame()).isEqualTo(expectedReply(c));
            }

            client.send(frame("{`service`:`pubsub`,`message`:{`command`:`subscribe`,`params`:{`channel`:`after`},`callId`:100}}"));
            assertThat(client.nextText()).as("no stray frame before the subscribe reply")
                    .isEqualTo(frame("{`service`:`pubsub`,`message`:{`type`:`response`,`callId`:100,`data`:null}}"));
            broker.publish("\"after\"", "{\"still\":\"working\"}");
            assertThat(client.nextText())
                    .isEqualTo(frame("{`service`:`pubsub`,`message`:{`type`:`message`,`channel`:`after`,`message`:{`still`:`working`}}}"));
            assertThat(client.isClosed()).isFalse();
        }

        Map<String, Double> rejectedAfter = rejectedFrames();
        for (String error : List.of(INVALID_JSON, INVALID_ENVELOPE, UNKNOWN_SERVICE)) {
            assertThat(rejectedAfter.get(error) - rejectedBefore.get(error)).as("broker.frames.rejected{error=%s}", error)
                    .isEqualTo(count(error));
        }
        for (String error : List.of(INVALID_MESSAGE, UNKNOWN_COMMAND, INVALID_PARAMS)) {
            assertThat(BrokerMeters.counter(broker, "broker.rpc.errors", "service", "pubsub", "error", error))
                    .as("broker.rpc.errors{error=%s}", error).isEqualTo(count(error));
        }
    }

    private void invalidJson() {
        json("{");
        json("}");
        json("not json");
        json("{'service':'pubsub','message':{}}");
        json("{service:`pubsub`,`message`:{}}");
        json("{`service`:`pubsub`,`message`:{`command`:`subscribe`,`params`:{`channel`:`a`},`callId`:1},}");
        json("{`service`:`pubsub`,`message`:{}} garbage");
        json("{`service`:`pubsub`,`message`:{}}{`service`:`pubsub`,`message`:{}}");
        json("{`service`:`pubsub`,`message`:{}}]");
        json("");
        json("  \n\t ");
        json("{`service`:`pubsub`,`service`:`pubsub`,`message`:{}}");
        json("{`service`:`pubsub`,`message`:{`command`:`subscribe`,`command`:`publish`,`params`:{},`callId`:2}}");
        json("{`service`:`pubsub`,`message`:{`command`:`subscribe`,`params`:{`channel`:`a`,`channel`:`b`},`callId`:3}}");
        json("{`service`:`pubsub`,`message`:{`command`:`publish`,`params`:{`channel`:`deep`,`message`:"
                + "[".repeat(100) + "]".repeat(100) + "},`callId`:4}}");
        json("[".repeat(100) + "]".repeat(100));
        json("NaN");
        json("undefined");
        json("{`service`:`pubsub`,`message`:{`callId`:01}}");
        json("{`service`:`pub\\qsub`,`message`:{}}");
        json("{`service`:`pubsub");
        json("{`service`:`pubsub`,`message`:{}");
        json("[");
        json("{`service`:`pub\u0001sub`,`message`:{}}");
        json("{`service`:`pubsub`,`message`:{`command`:`subscribe`,`params`:{`channel`:" + "1".repeat(200) + "},`callId`:5}}");
        json("{`service`:`pubsub`,`message`:{`" + "k".repeat(1100) + "`:1}}");
        json("// a comment\n{`service`:`pubsub`,`message`:{}}");
        json("{`service`:`pubsub`,`message`:tru}");
        cases.add(new Case(frame("{`service`:`pubsub`,`message`:{`command`:`subscribe`,`params`:{`channel`:`bin`},`callId`:6}}"),
                true, INVALID_JSON, null, null));
    }

    private void invalidEnvelopes() {
        add("null", INVALID_ENVELOPE, null, null);
        add("42", INVALID_ENVELOPE, null, null);
        add("-1.5e3", INVALID_ENVELOPE, null, null);
        add("`pubsub`", INVALID_ENVELOPE, null, null);
        add("true", INVALID_ENVELOPE, null, null);
        add("[]", INVALID_ENVELOPE, null, null);
        add("[{`service`:`pubsub`,`message`:{`command`:`subscribe`,`params`:{`channel`:`a`},`callId`:9}}]", INVALID_ENVELOPE, null, null);
        add("{}", INVALID_ENVELOPE, null, null);
        add("{`message`:{`command`:`subscribe`,`params`:{`channel`:`a`},`callId`:10}}", INVALID_ENVELOPE, null, "10");
        add("{`service`:5,`message`:{`command`:`subscribe`,`params`:{},`callId`:11}}", INVALID_ENVELOPE, null, "11");
        add("{`service`:null,`message`:{`callId`:`s12`}}", INVALID_ENVELOPE, null, "`s12`");
        add("{`service`:[`pubsub`],`message`:{}}", INVALID_ENVELOPE, null, null);
        add("{`service`:{`name`:`pubsub`},`message`:{}}", INVALID_ENVELOPE, null, null);
        add("{`service`:true,`message`:{`callId`:{`k`:[1,2]}}}", INVALID_ENVELOPE, null, "{`k`:[1,2]}");
        add("{`service`:`pubsub`}", INVALID_ENVELOPE, "pubsub", null);
        add("{`service`:`pubsub`,`msg`:{`command`:`subscribe`,`callId`:13}}", INVALID_ENVELOPE, "pubsub", null);
        add("{`service`:`pubsub`,`Message`:{}}", INVALID_ENVELOPE, "pubsub", null);
    }

    private void unknownServices() {
        add("{`service`:`chatroom`,`message`:{`command`:`join`,`params`:{},`callId`:14}}", UNKNOWN_SERVICE, "chatroom", "14");
        add("{`service`:``,`message`:{}}", UNKNOWN_SERVICE, "", null);
        add("{`service`:`pubsub_backend`,`message`:{`command`:`publish`,`params`:{`channel`:`a`,`message`:1},`callId`:`b15`}}",
                UNKNOWN_SERVICE, "pubsub_backend", "`b15`");
        add("{`service`:`PubSub`,`message`:{`command`:`subscribe`,`params`:{`channel`:`a`},`callId`:[16]}}",
                UNKNOWN_SERVICE, "PubSub", "[16]");
        add("{`service`:` pubsub`,`message`:null}", UNKNOWN_SERVICE, " pubsub", null);
        add("{`service`:`chatroom`,`message`:`hello`}", UNKNOWN_SERVICE, "chatroom", null);
    }

    private void invalidMessages() {
        rpc("null", INVALID_MESSAGE, null);
        rpc("`subscribe`", INVALID_MESSAGE, null);
        rpc("[1,2]", INVALID_MESSAGE, null);
        rpc("42", INVALID_MESSAGE, null);
        rpc("{}", INVALID_MESSAGE, null);
        rpc("{`params`:{`channel`:`a`},`callId`:17}", INVALID_MESSAGE, "17");
        rpc("{`command`:5,`params`:{},`callId`:18}", INVALID_MESSAGE, "18");
        rpc("{`command`:null,`params`:{},`callId`:19}", INVALID_MESSAGE, "19");
        rpc("{`command`:[`subscribe`],`params`:{`channel`:`a`},`callId`:20}", INVALID_MESSAGE, "20");
        rpc("{`command`:{`name`:`subscribe`},`params`:{},`callId`:21}", INVALID_MESSAGE, "21");
        rpc("{`command`:true,`callId`:22.5}", INVALID_MESSAGE, "22.5");
        rpc("[{`command`:`subscribe`,`params`:{`channel`:`a`},`callId`:23}]", INVALID_MESSAGE, null);
    }

    private void unknownCommands() {
        rpc("{`command`:`join`,`params`:{},`callId`:24}", UNKNOWN_COMMAND, "24");
        rpc("{`command`:`Subscribe`,`params`:{`channel`:`a`},`callId`:25}", UNKNOWN_COMMAND, "25");
        rpc("{`command`:``,`params`:{},`callId`:26}", UNKNOWN_COMMAND, "26");
        rpc("{`command`:`subscribe `,`params`:{`channel`:`a`},`callId`:27}", UNKNOWN_COMMAND, "27");
        rpc("{`command`:`nope`,`callId`:28}", UNKNOWN_COMMAND, "28");
        rpc("{`command`:`nope`,`params`:{},`callId`:null}", UNKNOWN_COMMAND, null);
        rpc("{`command`:`toString`,`params`:{},`callId`:`x29`}", UNKNOWN_COMMAND, "`x29`");
    }

    private void invalidParams() {
        rpc("{`command`:`subscribe`,`callId`:30}", INVALID_PARAMS, "30");
        rpc("{`command`:`subscribe`,`params`:[],`callId`:31}", INVALID_PARAMS, "31");
        rpc("{`command`:`subscribe`,`params`:`a`,`callId`:32}", INVALID_PARAMS, "32");
        rpc("{`command`:`subscribe`,`params`:null,`callId`:33}", INVALID_PARAMS, "33");
        rpc("{`command`:`subscribe`,`params`:7,`callId`:34}", INVALID_PARAMS, "34");
        rpc("{`command`:`subscribe`,`params`:{},`callId`:35}", INVALID_PARAMS, "35");
        rpc("{`command`:`subscribe`,`params`:{`channel`:`a`,`extra`:1},`callId`:36}", INVALID_PARAMS, "36");
        rpc("{`command`:`publish`,`params`:{`channel`:`a`},`callId`:37}", INVALID_PARAMS, "37");
        rpc("{`command`:`publish`,`params`:{`channel`:`a`,`message`:1,`x`:2},`callId`:38}", INVALID_PARAMS, "38");
        rpc("{`command`:`unsubscribe`,`params`:{`chan`:`a`},`callId`:39}", INVALID_PARAMS, "39");
        rpc("{`command`:`publish`,`params`:{`message`:1},`callId`:40}", INVALID_PARAMS, "40");
        rpc("{`command`:`subscribe`,`params`:{`Channel`:`a`},`callId`:41}", INVALID_PARAMS, "41");
        rpc("{`command`:`publish`,`params`:[`a`,1],`callId`:42}", INVALID_PARAMS, "42");
        rpc("{`command`:`publish`,`params`:{`channel`:`a`,`message`:1,`channel2`:`b`}}", INVALID_PARAMS, null);
    }

    private void json(String frame) {
        add(frame, INVALID_JSON, null, null);
    }

    /** A frame for the pubsub service with {@code message} as its message. */
    private void rpc(String message, String error, String callId) {
        add("{`service`:`pubsub`,`message`:" + message + "}", error, "pubsub", callId);
    }

    private void add(String frame, String error, String service, String callId) {
        cases.add(new Case(frame(frame), false, error, service, callId == null ? null : frame(callId)));
    }

    /** Backquotes stand for double quotes, to keep the frames above readable. */
    private static String frame(String text) {
        return text.replace('`', '"');
    }

    private static JsonNode expectedReply(Case c) {
        ObjectNode message = MAPPER.createObjectNode().put("type", "error");
        message.set("callId", c.callId() == null ? MAPPER.nullNode() : parse(c.callId()));
        message.put("message", c.error());
        ObjectNode envelope = MAPPER.createObjectNode();
        envelope.put("service", c.service());
        envelope.set("message", message);
        return envelope;
    }

    private static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    private double count(String error) {
        return cases.stream().filter(c -> c.error().equals(error)).count();
    }

    private Map<String, Double> rejectedFrames() {
        Map<String, Double> counts = new LinkedHashMap<>();
        for (String error : List.of(INVALID_JSON, INVALID_ENVELOPE, UNKNOWN_SERVICE)) {
            counts.put(error, BrokerMeters.counter(broker, "broker.frames.rejected", "error", error));
        }
        return counts;
    }
}
