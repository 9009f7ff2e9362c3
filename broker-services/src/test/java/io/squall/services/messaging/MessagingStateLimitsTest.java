package io.squall.services.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.loop.ManualEventLoop;
import io.squall.core.state.StateLimits;
import io.squall.core.testing.RecordingClient;
import io.squall.core.testing.RpcCalls;
import io.squall.core.testing.ServiceContexts;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Participant names under {@code max.key.bytes} and {@code max.connection.state.bytes}. */
class MessagingStateLimitsTest {
    private final ManualEventLoop loop = new ManualEventLoop();
    private final ServiceContext context = ServiceContexts.create(loop, new StateLimits(16, 32));
    private final MessagingService messaging =
            new MessagingService("messaging", NamePolicy.allowAll(), 16, Duration.ofSeconds(30));
    private final ServiceRegistry registry = new ServiceRegistry("public", context);
    private final RpcCalls rpc = new RpcCalls(registry, "messaging");
    private final RecordingClient alice = new RecordingClient("alice");

    MessagingStateLimitsTest() {
        ApiRegistration.register(loop, context, registry, messaging);
        registry.connected(alice);
    }

    @Test
    void an_oversized_name_is_invalid_params_in_utf8_bytes() {
        assertThat(rpc.error(alice, "registerParticipant", "{'name':'" + "é".repeat(9) + "'}")).isEqualTo("Invalid params");
        assertThat(rpc.error(alice, "unregisterParticipant", "{'name':'" + "n".repeat(17) + "'}")).isEqualTo("Invalid params");
        assertThat(rpc.error(alice, "send", "{'sender':'a','dest':'" + "n".repeat(17) + "','body':1}"))
                .isEqualTo("Invalid params");
        assertThat(messaging.participantCount()).isZero();
    }

    @Test
    void names_past_the_budget_are_too_much_state_and_unregister_and_disconnect_give_it_back() {
        rpc.data(alice, "registerParticipant", "{'name':'" + "é".repeat(8) + "'}");
        rpc.data(alice, "registerParticipant", "{'name':'" + "b".repeat(10) + "'}");

        assertThat(rpc.error(alice, "registerParticipant", "{'name':'" + "c".repeat(7) + "'}")).isEqualTo("Too much state");
        assertThat(messaging.participantCount()).as("nothing half-applied").isEqualTo(2);
        rpc.data(alice, "unregisterParticipant", "{'name':'" + "b".repeat(10) + "'}");
        rpc.data(alice, "registerParticipant", "{'name':'" + "c".repeat(7) + "'}");
        assertThat(context.budget().heldBy(alice)).isEqualTo(23);

        registry.disconnected(alice);

        assertThat(context.budget().total()).isZero();
        assertThat(context.budget().holders()).isZero();
    }
}
