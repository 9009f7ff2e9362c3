package io.squall.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.error.ErrorName;
import io.squall.core.json.Json;
import io.squall.core.loop.ManualEventLoop;
import io.squall.core.service.pubsub.ChannelPolicy;
import io.squall.core.service.pubsub.PubSubService;
import io.squall.core.testing.PubSubs;
import io.squall.core.testing.RecordingClient;
import io.squall.core.testing.ServiceContexts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * JSON numbers come back as they were sent and never collide as keys: read as decimals, not doubles (where 1e400
 * was Infinity, sent back as the string "Infinity", and 1e-400 was 0).
 */
class ExactNumbersTest {
    private final ProtocolCodec codec = new ProtocolCodec(Json.mapper());
    private final ManualEventLoop loop = new ManualEventLoop();
    private final ServiceContext context = ServiceContexts.create(loop);
    private final PubSubService pubsub = PubSubs.memory("pubsub", context, ChannelPolicy.open(true), 100);
    private final ServiceRegistry registry = new ServiceRegistry("public", context);
    private final RecordingClient alice = new RecordingClient("alice");

    ExactNumbersTest() {
        registry.register(pubsub);
        registry.connected(alice);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1e999999             | 1E+999999",
        "-1e999999999         | -1E+999999999",
        "1e-400               | 1E-400",
        "12345678901234567890.5 | 12345678901234567890.5",
        "1.50                 | 1.50",
        "0.1                  | 0.1",
        "1e0                  | 1.0",
        "123456789012345678901234567890 | 123456789012345678901234567890",
        "7                    | 7"
    })
    void a_call_id_comes_back_with_its_exact_value(String sent, String echoed) {
        dispatch("{\"service\":\"pubsub\",\"message\":{\"command\":\"subscribe\",\"params\":{\"channel\":\"a\"},"
                + "\"callId\":" + sent + "}}");
        dispatch("{\"service\":\"pubsub\",\"message\":{\"command\":\"subscribe\",\"params\":{\"channel\":\"a\"},"
                + "\"callId\":" + sent + "}}");

        assertThat(alice.frames()).extracting(EncodedMessage::text).containsExactly(
                "{\"service\":\"pubsub\",\"message\":{\"type\":\"response\",\"callId\":" + echoed + ",\"data\":null}}",
                "{\"service\":\"pubsub\",\"message\":{\"type\":\"error\",\"callId\":" + echoed
                        + ",\"message\":\"Already subscribed\"}}");
    }

    @Test
    void channels_beyond_double_range_are_distinct_and_announced_as_sent() {
        for (String channel : new String[] {"1e400", "2e400", "1e999999999", "1e-400", "0"}) {
            dispatch(subscribe(channel));
        }
        assertThat(pubsub.channelCount()).isEqualTo(5);
        alice.frames().clear();

        dispatch("{\"service\":\"pubsub\",\"message\":{\"command\":\"publish\",\"params\":{\"channel\":2e400,"
                + "\"message\":{\"n\":12345678901234567890.5,\"m\":1e-400}}}}");

        assertThat(alice.frames()).extracting(EncodedMessage::text).containsExactly(
                "{\"service\":\"pubsub\",\"message\":{\"type\":\"message\",\"channel\":2E+400,"
                        + "\"message\":{\"n\":12345678901234567890.5,\"m\":1E-400}}}",
                "{\"service\":\"pubsub\",\"message\":{\"type\":\"response\",\"data\":null}}");
    }

    @Test
    void equal_values_in_other_spellings_are_still_one_channel() {
        dispatch(subscribe("1e400"));
        dispatch(subscribe("10e399"));
        dispatch(subscribe("1.0"));
        dispatch(subscribe("1"));

        assertThat(pubsub.channelCount()).isEqualTo(2);
        assertThat(alice.messages()).extracting(m -> m.at("/message/type").asText())
                .containsExactly("response", "error", "response", "error");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e9999999999", "1e1000000001", "1e-1000000001", "-0.5e-2147483648"})
    void a_number_whose_exponent_is_beyond_the_limit_is_invalid_json_on_every_path(String number) {
        String frame = "{\"service\":\"pubsub\",\"message\":{\"command\":\"subscribe\",\"params\":{\"channel\":"
                + number + "},\"callId\":1}}";
        byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);

        for (Decoded decoded : new Decoded[] {codec.decode(bytes), codec.decode(frame), codec.decodeAsTree(bytes)}) {
            assertThat(decoded).isInstanceOfSatisfying(Decoded.Rejected.class,
                    rejected -> assertThat(rejected.error()).isEqualTo(ErrorName.INVALID_JSON));
        }
        assertThat(codec.decodeBody(bytes)).isNull();
    }

    @Test
    void huge_exponents_cost_no_more_than_small_numbers() {
        // a decimal expanded to its digits would take a gigabyte and minutes: a health bound, not a speed goal
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int i = 0; i < 200; i++) {
                dispatch(subscribe("[" + i + "e999999999,-" + i + ".5e-999999990]"));
                dispatch("{\"service\":\"pubsub\",\"message\":{\"command\":\"publish\",\"params\":{\"channel\":["
                        + i + "e999999999,-" + i + ".5e-999999990],\"message\":1e999999999},\"callId\":1e999999999}}");
            }
        });
        assertThat(pubsub.channelCount()).isEqualTo(100); // the cap: each spelling was a channel of its own
    }

    private String subscribe(String channel) {
        return "{\"service\":\"pubsub\",\"message\":{\"command\":\"subscribe\",\"params\":{\"channel\":" + channel
                + "}}}";
    }

    private void dispatch(String frame) {
        Decoded decoded = codec.decode(frame.getBytes(StandardCharsets.UTF_8));
        if (decoded instanceof Decoded.Ok ok) {
            registry.dispatch(alice, ok.envelope());
        } else {
            registry.reject(alice, (Decoded.Rejected) decoded);
        }
        loop.runPending();
    }
}
