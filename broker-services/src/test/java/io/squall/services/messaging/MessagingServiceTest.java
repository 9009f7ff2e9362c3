package io.squall.services.messaging;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.loop.ManualEventLoop;
import io.squall.core.protocol.Envelope;
import io.squall.core.testing.RecordingClient;
import io.squall.core.testing.RpcCalls;
import io.squall.core.testing.ServiceContexts;
import io.squall.core.testing.WireFixtures;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The built-in Messaging through the public API, as the broker registers it. Mirrors Snorky's tests/test_messaging.py, plus Squall's name cap and the identity name policy. */
class MessagingServiceTest {
    private final ManualEventLoop loop = new ManualEventLoop();
    private final ServiceContext context = ServiceContexts.create(loop);
    private final RecordingClient alice = new RecordingClient("alice");
    private final RecordingClient bob = new RecordingClient("bob");
    private MessagingService messaging;
    private ServiceRegistry registry;
    private RpcCalls rpc;

    private void start(NamePolicy policy, int maxNames) {
        messaging = new MessagingService("messaging", policy, maxNames, Duration.ofSeconds(30));
        registry = new ServiceRegistry("public", context);
        ApiRegistration.register(loop, context, registry, messaging);
        registry.connected(alice);
        registry.connected(bob);
        rpc = new RpcCalls(registry, "messaging");
    }

    private void start() {
        start(NamePolicy.allowAll(), 16);
    }

    @Test
    void register_replies_null_and_lists_the_name() {
        start();

        assertThat(rpc.data(alice, "registerParticipant", "{'name':'alice'}").isNull()).isTrue();

        assertThat(rpc.data(bob, "listParticipants", "{}")).isEqualTo(json("['alice']"));
    }

    @Test
    void registering_a_taken_name_is_answered_name_already_registered() {
        start();
        rpc.data(alice, "registerParticipant", "{'name':'alice'}");

        assertThat(rpc.error(bob, "registerParticipant", "{'name':'alice'}")).isEqualTo("Name already registered");
        assertThat(rpc.error(alice, "registerParticipant", "{'name':'alice'}")).isEqualTo("Name already registered");
    }

    @Test
    void a_name_the_policy_refuses_is_answered_name_not_allowed() {
        start((client, name) -> !name.equals("admin"), 16);

        assertThat(rpc.error(alice, "registerParticipant", "{'name':'admin'}")).isEqualTo("Name not allowed");
        assertThat(messaging.participantCount()).isZero();
    }

    @Test
    void the_identity_policy_allows_only_the_clients_own_identity() {
        start(NamePolicy.ownIdentity(), 16);
        RecordingClient carol = new RecordingClient("carol").withIdentity(json("'carol'"));
        registry.connected(carol);

        assertThat(rpc.error(carol, "registerParticipant", "{'name':'dave'}")).isEqualTo("Name not allowed");
        assertThat(rpc.error(alice, "registerParticipant", "{'name':'alice'}")).isEqualTo("Name not allowed");
        assertThat(rpc.data(carol, "registerParticipant", "{'name':'carol'}").isNull()).isTrue();
    }

    @Test
    void a_client_may_own_several_names_up_to_the_cap() {
        start(NamePolicy.allowAll(), 2);
        rpc.data(alice, "registerParticipant", "{'name':'alice'}");
        rpc.data(alice, "registerParticipant", "{'name':'alice-work'}");

        assertThat(rpc.error(alice, "registerParticipant", "{'name':'alice-3'}")).isEqualTo("Too many names");
        assertThat(rpc.data(bob, "registerParticipant", "{'name':'bob'}").isNull()).isTrue();
    }

    @Test
    void unregister_frees_the_name() {
        start();
        rpc.data(alice, "registerParticipant", "{'name':'alice'}");

        assertThat(rpc.data(alice, "unregisterParticipant", "{'name':'alice'}").isNull()).isTrue();

        assertThat(rpc.data(bob, "listParticipants", "{}")).isEqualTo(json("[]"));
        assertThat(messaging.clientCount()).isZero();
        rpc.data(bob, "registerParticipant", "{'name':'alice'}");
    }

    @Test
    void unregistering_an_unknown_name_is_answered_unknown_participant() {
        start();

        assertThat(rpc.error(alice, "unregisterParticipant", "{'name':'ghost'}")).isEqualTo("Unknown participant");
    }

    @Test
    void unregistering_another_clients_name_is_answered_invalid_participant() {
        start();
        rpc.data(alice, "registerParticipant", "{'name':'alice'}");

        assertThat(rpc.error(bob, "unregisterParticipant", "{'name':'alice'}")).isEqualTo("Invalid participant");
        assertThat(messaging.sortedNames()).containsExactly("alice");
    }

    @Test
    void list_participants_is_sorted_by_code_point() {
        start();
        rpc.data(alice, "registerParticipant", "{'name':'bob'}");
        rpc.data(bob, "registerParticipant", "{'name':'alice'}");
        rpc.data(bob, "registerParticipant", "{'name':'\uD83D\uDE00'}"); // U+1F600, above U+FFFF
        rpc.data(bob, "registerParticipant", "{'name':'\uFFFD'}");

        registry.dispatch(alice, new Envelope("messaging", json("{'command':'listParticipants','params':{},'callId':2}")));
        alice.drain();
        rpc.data(bob, "unregisterParticipant", "{'name':'\uD83D\uDE00'}");
        rpc.data(bob, "unregisterParticipant", "{'name':'\uFFFD'}");

        registry.dispatch(alice, new Envelope("messaging", json("{'command':'listParticipants','params':{},'callId':2}")));
        assertThat(alice.last()).isEqualTo(WireFixtures.tree("response-messaging-list"));
    }

    @Test
    void code_point_order_puts_astral_characters_after_the_bmp() {
        start();
        rpc.data(alice, "registerParticipant", "{'name':'\uD83D\uDE00'}");
        rpc.data(alice, "registerParticipant", "{'name':'\uFFFD'}");

        assertThat(messaging.sortedNames()).containsExactly("\uFFFD", "\uD83D\uDE00");
    }

    @Test
    void send_reaches_only_the_destination() {
        start();
        RecordingClient carol = new RecordingClient("carol");
        registry.connected(carol);
        rpc.data(alice, "registerParticipant", "{'name':'alice'}");
        rpc.data(bob, "registerParticipant", "{'name':'bob'}");

        assertThat(rpc.data(alice, "send", "{'sender':'alice','dest':'bob','body':{'text':'Hi'}}").isNull()).isTrue();

        assertThat(bob.messages()).containsExactly(WireFixtures.tree("notification-messaging-message"));
        assertThat(alice.frames()).isEmpty();
        assertThat(carol.frames()).isEmpty();
    }

    @Test
    void a_client_may_message_itself() {
        start();
        rpc.data(alice, "registerParticipant", "{'name':'alice'}");
        rpc.data(alice, "registerParticipant", "{'name':'bob'}");

        rpc.data(alice, "send", "{'sender':'alice','dest':'bob','body':{'text':'Hi'}}");

        assertThat(alice.messages()).containsExactly(WireFixtures.tree("notification-messaging-message"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bob", "nobody"})
    void sending_as_a_name_one_does_not_own_is_answered_invalid_sender(String sender) {
        start();
        rpc.data(bob, "registerParticipant", "{'name':'bob'}");

        assertThat(rpc.error(alice, "send", "{'sender':'" + sender + "','dest':'bob','body':'spoof'}"))
                .isEqualTo("Invalid sender");
        assertThat(bob.frames()).isEmpty();
    }

    @Test
    void sending_to_an_unknown_name_is_answered_unknown_destination() {
        start();
        rpc.data(alice, "registerParticipant", "{'name':'alice'}");

        assertThat(rpc.error(alice, "send", "{'sender':'alice','dest':'ghost','body':'hello?'}"))
                .isEqualTo("Unknown destination");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{'name':5}", "{'name':null}", "{'name':'a','extra':1}", "{'name':['a']}"})
    void a_name_that_is_not_a_string_is_invalid_params(String params) {
        start();

        assertThat(rpc.error(alice, "registerParticipant", params)).isEqualTo("Invalid params");
    }

    @Test
    void list_participants_takes_no_params() {
        start();

        assertThat(rpc.error(alice, "listParticipants", "{'x':1}")).isEqualTo("Invalid params");
    }

    @Test
    void disconnect_frees_every_name_of_the_client() {
        start();
        rpc.data(alice, "registerParticipant", "{'name':'alice'}");
        rpc.data(alice, "registerParticipant", "{'name':'alice-work'}");
        rpc.data(bob, "registerParticipant", "{'name':'bob'}");

        registry.disconnected(alice);

        assertThat(messaging.sortedNames()).containsExactly("bob");
        assertThat(rpc.error(bob, "send", "{'sender':'bob','dest':'alice','body':'?'}"))
                .isEqualTo("Unknown destination");
    }

    @Test
    void nothing_is_left_after_many_clients_come_and_go() {
        start();
        for (int i = 0; i < 500; i++) {
            RecordingClient client = new RecordingClient("c" + i);
            registry.connected(client);
            rpc.data(client, "registerParticipant", "{'name':'n" + i + "'}");
            rpc.data(client, "registerParticipant", "{'name':'m" + i + "'}");
            if (i > 0) {
                rpc.data(client, "send", "{'sender':'n" + i + "','dest':'n" + (i - 1) + "','body':" + i + "}");
            }
        }
        for (var client : java.util.List.copyOf(registry.clients())) {
            registry.disconnected(client);
        }

        assertThat(messaging.participantCount()).isZero();
        assertThat(messaging.clientCount()).isZero();
        assertThat(context.budget().total()).as("every name's bytes given back").isZero();
    }
}
