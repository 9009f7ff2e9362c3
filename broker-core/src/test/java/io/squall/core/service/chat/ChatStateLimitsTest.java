package io.squall.core.service.chat;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.loop.ManualEventLoop;
import io.squall.core.state.StateLimits;
import io.squall.core.testing.RecordingClient;
import io.squall.core.testing.RpcCalls;
import io.squall.core.testing.ServiceContexts;
import org.junit.jupiter.api.Test;

/** Chat channels under {@code max.key.bytes} and {@code max.connection.state.bytes}. */
class ChatStateLimitsTest {
    private final ServiceContext context = ServiceContexts.create(new ManualEventLoop(), new StateLimits(16, 32));
    private final ChatService chat = new ChatService("chat", context, 128);
    private final ServiceRegistry registry = new ServiceRegistry("public", context);
    private final RpcCalls rpc = new RpcCalls(registry, "chat");
    private final RecordingClient alice = new RecordingClient("alice").withIdentity(json("'Alice'"));

    ChatStateLimitsTest() {
        registry.register(chat);
        registry.connected(alice);
    }

    @Test
    void an_oversized_channel_is_invalid_params_in_every_command() {
        for (String command : new String[] {"join", "leave", "read"}) {
            assertThat(rpc.error(alice, command, "{'channel':'" + "c".repeat(17) + "'}")).as(command)
                    .isEqualTo("Invalid params");
        }
        assertThat(rpc.error(alice, "send", "{'channel':'" + "c".repeat(17) + "','body':1}")).isEqualTo("Invalid params");
        assertThat(chat.stateSizes().values()).containsOnly(0);
    }

    @Test
    void joins_past_the_budget_are_too_much_state_and_leave_and_disconnect_give_it_back() {
        rpc.data(alice, "join", "{'channel':'" + "a".repeat(16) + "'}");
        rpc.data(alice, "join", "{'channel':'" + "b".repeat(10) + "'}");

        assertThat(rpc.error(alice, "join", "{'channel':'" + "c".repeat(7) + "'}")).isEqualTo("Too much state");
        assertThat(chat.stateSizes().get("channels")).as("nothing half-applied").isEqualTo(2);
        rpc.data(alice, "leave", "{'channel':'" + "b".repeat(10) + "'}");
        rpc.data(alice, "join", "{'channel':'" + "c".repeat(7) + "'}");
        assertThat(context.budget().heldBy(alice)).isEqualTo(23);

        registry.disconnected(alice);

        assertThat(context.budget().total()).isZero();
        assertThat(context.budget().holders()).isZero();
    }
}
