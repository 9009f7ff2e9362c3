package io.squall.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.api.Registry;
import io.squall.examples.slow.SlowHandler;
import io.squall.server.Squall;
import io.squall.server.testing.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The slow handler with a pool of 10 and a queue of 3: 13 parallel calls all finish, {@code ping} answers while they
 * block, a 14th is refused {@code Overloaded} at once rather than left waiting.
 */
class SlowHandlerTest {
    // the example blocks 10 s; 3 s here keeps the test short and still far longer than any loop round trip
    private static final Duration WORK = Duration.ofSeconds(3);

    @Test
    void thirteenCallsFinishPingAnswersMeanwhileAndTheFourteenthIsOverloaded() {
        try (Squall squall = Brokers.onLoopback()
                .service(Registry.PUBLIC, new SlowHandler("slow", WORK, 10, 3)).start();
                WsTestClient caller = Brokers.connect(squall);
                WsTestClient pinger = Brokers.connect(squall)) {
            for (int callId = 1; callId <= 14; callId++) {
                caller.send(Brokers.call(callId, "slow", "slow", "{}"));
            }
            // frames are handled in order: 10 run, 3 wait, the 14th finds the pool full
            JsonNode refused = caller.next().path("message");
            assertThat(refused.path("callId").asInt()).isEqualTo(14);
            assertThat(refused.path("message").asText()).isEqualTo("Overloaded");

            JsonNode pong = pinger.call("slow", "ping", "{}", 1).path("message");
            assertThat(pong.path("data").asText()).isEqualTo("pong");
            assertThat(caller.poll(Duration.ZERO)).as("no slow call is done while ping answers").isNull();

            List<Integer> done = new ArrayList<>();
            for (int i = 0; i < 13; i++) {
                JsonNode reply = caller.next().path("message");
                assertThat(reply.path("data").asText()).isEqualTo("done");
                done.add(reply.path("callId").asInt());
            }
            assertThat(done).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13);
        }
    }
}
