package io.squall.core.service.chat;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.broker.HistorySettings;
import io.squall.core.cluster.ServiceBus;
import io.squall.core.loop.ManualEventLoop;
import io.squall.core.protocol.Envelope;
import io.squall.core.testing.RecordingClient;
import io.squall.core.testing.RpcCalls;
import io.squall.core.testing.ServiceContexts;
import io.squall.core.testing.WireFixtures;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Mirrors Snorky's tests/test_chat.py (multi-device presence, read receipts), plus Squall's channel cap. */
class ChatServiceTest {
    private static final String CATS = "'#cats'";

    private final ServiceContext context = ServiceContexts.create(new ManualEventLoop());
    private final RecordingClient alice = new RecordingClient("alice-desktop").withIdentity(json("'Alice'"));
    private final RecordingClient aliceLaptop = new RecordingClient("alice-laptop").withIdentity(json("'Alice'"));
    private final RecordingClient bob = new RecordingClient("bob").withIdentity(json("'Bob'"));
    private final RecordingClient anonymous = new RecordingClient("anonymous");
    private ChatService chat;
    private ServiceRegistry registry;
    private RpcCalls rpc;

    @BeforeEach
    void start() {
        start(context, 128);
    }

    private void start(ServiceContext serviceContext, int maxChannels) {
        // the memory engine's bus, as the server passes it: the one-node Chat, unchanged
        chat = new ChatService("chat", serviceContext, maxChannels,
                ServiceBus.memory(serviceContext.loop(), HistorySettings.DEFAULTS, Duration.ofSeconds(60)),
                Duration.ofSeconds(20));
        registry = new ServiceRegistry("public", serviceContext);
        registry.register(chat);
        List.of(alice, aliceLaptop, bob, anonymous).forEach(registry::connected);
        rpc = new RpcCalls(registry, "chat");
    }

    @Test
    void joining_an_empty_channel_lists_only_oneself() {
        registry.dispatch(alice, new Envelope("chat", json("{'command':'join','params':{'channel':'#cats'},'callId':0}")));

        assertThat(alice.messages()).containsExactly(WireFixtures.tree("response-chat-join"));
    }

    @Test
    void a_second_identity_joining_is_announced_to_the_members_already_there() {
        join(alice, CATS, "Alice");

        join(bob, CATS, "Alice", "Bob");

        assertThat(alice.messages()).containsExactly(WireFixtures.tree("notification-chat-presence"));
        assertThat(bob.frames()).isEmpty();
    }

    @Test
    void joining_twice_is_answered_already_joined() {
        join(alice, CATS, "Alice");

        assertThat(rpc.error(alice, "join", "{'channel':'#cats'}")).isEqualTo("Already joined");
    }

    @Test
    void an_anonymous_join_is_answered_not_authenticated() {
        registry.dispatch(anonymous, new Envelope("chat", json("{'command':'join','params':{'channel':'#cats'},'callId':0}")));

        assertThat(anonymous.messages()).containsExactly(WireFixtures.tree("error-not-authenticated"));
        assertThat(chat.stateSizes().values()).containsOnly(0);
    }

    @Test
    void a_message_reaches_every_member_including_the_sender() {
        join(alice, CATS, "Alice");
        join(bob, CATS, "Alice", "Bob");
        alice.drain();

        assertThat(rpc.data(alice, "send", "{'channel':'#cats','body':'Hello'}").isNull()).isTrue();

        assertThat(alice.messages()).containsExactly(WireFixtures.tree("notification-chat-message"));
        assertThat(bob.messages()).containsExactly(WireFixtures.tree("notification-chat-message"));
    }

    @Test
    void sending_to_a_channel_one_has_not_joined_is_answered_not_joined() {
        join(alice, CATS, "Alice");
        join(bob, "'#operators'", "Bob");

        assertThat(rpc.error(alice, "send", "{'channel':'#operators','body':'spam'}")).isEqualTo("Not joined");
        assertThat(rpc.error(anonymous, "send", "{'channel':'#operators','body':'spam'}")).isEqualTo("Not joined");
        assertThat(bob.frames()).isEmpty();
    }

    @Test
    void leaving_announces_left_and_stops_delivery() {
        join(alice, CATS, "Alice");
        join(bob, CATS, "Alice", "Bob");
        alice.drain();

        assertThat(rpc.data(alice, "leave", "{'channel':'#cats'}").isNull()).isTrue();
        assertPresence(bob, "Alice", "left", "#cats");
        rpc.data(bob, "send", "{'channel':'#cats','body':'Hello'}");

        assertThat(bob.messages()).extracting(m -> m.at("/message/type").asText()).containsExactly("message");
        assertThat(alice.frames()).isEmpty();
    }

    @Test
    void leaving_a_channel_one_has_not_joined_is_answered_not_joined() {
        assertThat(rpc.error(alice, "leave", "{'channel':'#cats'}")).isEqualTo("Not joined");
    }

    @Test
    void disconnect_announces_left_to_the_others_and_nothing_to_the_leaver() {
        join(alice, CATS, "Alice");
        join(bob, CATS, "Alice", "Bob");
        alice.drain();

        registry.disconnected(alice);

        assertThat(alice.frames()).isEmpty();
        assertPresence(bob, "Alice", "left", "#cats");
    }

    @Test
    void a_second_device_of_a_present_identity_joins_silently_and_gets_every_message() {
        join(alice, CATS, "Alice");
        join(bob, CATS, "Alice", "Bob");
        alice.drain();

        join(aliceLaptop, CATS, "Alice", "Bob");
        assertThat(alice.frames()).isEmpty();
        assertThat(bob.frames()).isEmpty();

        rpc.data(bob, "send", "{'channel':'#cats','body':'Hi'}");
        rpc.data(aliceLaptop, "send", "{'channel':'#cats','body':'testing'}");

        for (RecordingClient member : List.of(alice, aliceLaptop, bob)) {
            assertThat(member.messages()).extracting(m -> m.at("/message/from").asText() + ":" + m.at("/message/body").asText())
                    .containsExactly("Bob:Hi", "Alice:testing");
        }
    }

    @Test
    void left_is_announced_only_when_the_last_device_of_an_identity_goes() {
        join(alice, CATS, "Alice");
        join(bob, CATS, "Alice", "Bob");
        join(aliceLaptop, CATS, "Alice", "Bob");
        alice.drain();

        registry.disconnected(alice);
        assertThat(bob.frames()).isEmpty();
        assertThat(aliceLaptop.frames()).isEmpty();
        rpc.data(bob, "send", "{'channel':'#cats','body':'Hi'}");
        assertThat(aliceLaptop.drain()).hasSize(1);
        bob.drain();

        registry.disconnected(aliceLaptop);
        assertPresence(bob, "Alice", "left", "#cats");
    }

    @Test
    void presence_is_per_channel() {
        join(alice, CATS, "Alice");
        join(aliceLaptop, CATS, "Alice");
        join(bob, CATS, "Alice", "Bob");
        assertPresence(alice, "Bob", "joined", "#cats");
        assertPresence(aliceLaptop, "Bob", "joined", "#cats");
        join(alice, "'#dogs'", "Alice");
        join(bob, "'#dogs'", "Alice", "Bob");
        assertPresence(alice, "Bob", "joined", "#dogs");

        registry.disconnected(alice);
        assertPresence(bob, "Alice", "left", "#dogs");

        registry.disconnected(aliceLaptop);
        assertPresence(bob, "Alice", "left", "#cats");
    }

    @Test
    void read_is_sent_to_the_same_identitys_other_devices_only() {
        join(alice, CATS, "Alice");
        join(aliceLaptop, CATS, "Alice");
        join(bob, CATS, "Alice", "Bob");
        List.of(alice, aliceLaptop, bob).forEach(RecordingClient::drain);

        assertThat(rpc.data(alice, "read", "{'channel':'#cats'}").isNull()).isTrue();

        assertThat(aliceLaptop.messages()).containsExactly(WireFixtures.tree("notification-chat-read"));
        assertThat(alice.frames()).isEmpty();
        assertThat(bob.frames()).isEmpty();
    }

    @Test
    void read_needs_no_join_and_an_anonymous_read_tells_nobody() {
        join(aliceLaptop, CATS, "Alice");

        assertThat(rpc.data(alice, "read", "{'channel':'#cats'}").isNull()).isTrue();
        assertThat(rpc.data(anonymous, "read", "{'channel':'#cats'}").isNull()).isTrue();

        assertThat(aliceLaptop.messages()).containsExactly(WireFixtures.tree("notification-chat-read"));
    }

    @Test
    void timestamps_are_utc_iso_8601_from_the_injected_clock() {
        InstantSource clock = InstantSource.fixed(Instant.parse("2026-03-04T05:06:07.089123Z"));
        start(ServiceContexts.create(new ManualEventLoop(), clock), 128);
        join(alice, CATS, "Alice");

        rpc.data(alice, "send", "{'channel':'#cats','body':'Hello'}");

        assertThat(alice.last().at("/message/timestamp").asText()).isEqualTo("2026-03-04T05:06:07.089Z");
    }

    @Test
    void channels_and_identities_are_any_json_compared_structurally() {
        RecordingClient carol = new RecordingClient("carol").withIdentity(json("{'id':7,'name':'Carol'}"));
        RecordingClient carolPhone = new RecordingClient("carol-phone").withIdentity(json("{'name':'Carol','id':7.0}"));
        registry.connected(carol);
        registry.connected(carolPhone);

        JsonNode members = rpc.data(carol, "join", "{'channel':{'room':1,'floor':2}}").get("members");
        rpc.data(carolPhone, "join", "{'channel':{'floor':2,'room':1}}");
        registry.disconnected(carol);

        assertThat(members).isEqualTo(json("[{'id':7,'name':'Carol'}]"));
        assertThat(carolPhone.frames()).isEmpty(); // same identity: no presence, and one device is still there
        assertThat(chat.stateSizes().get("identities")).isEqualTo(1);
    }

    @Test
    void joining_past_the_cap_is_answered_too_many_channels() {
        start(context, 2);
        join(alice, "'a'", "Alice");
        join(alice, "'b'", "Alice");

        assertThat(rpc.error(alice, "join", "{'channel':'c'}")).isEqualTo("Too many channels");

        rpc.data(alice, "leave", "{'channel':'a'}");
        join(alice, "'c'", "Alice");
    }

    @Test
    void missing_or_extra_params_are_invalid_params() {
        assertThat(rpc.error(alice, "join", "{}")).isEqualTo("Invalid params");
        assertThat(rpc.error(alice, "send", "{'channel':'#cats'}")).isEqualTo("Invalid params");
        assertThat(rpc.error(alice, "read", "{'channel':'#cats','x':1}")).isEqualTo("Invalid params");
    }

    @Test
    void nothing_is_left_after_many_clients_come_and_go() {
        for (int i = 0; i < 300; i++) {
            RecordingClient client = new RecordingClient("c" + i).withIdentity(json("'user" + (i % 50) + "'"));
            registry.connected(client);
            rpc.data(client, "join", "{'channel':'room" + (i % 7) + "'}");
            rpc.data(client, "join", "{'channel':'all'}");
            rpc.data(client, "send", "{'channel':'all','body':" + i + "}");
            rpc.data(client, "read", "{'channel':'all'}");
        }
        for (var client : List.copyOf(registry.clients())) {
            registry.disconnected(client);
        }

        assertThat(chat.stateSizes().values()).containsOnly(0);
    }

    // ---- helpers

    private void join(RecordingClient client, String channel, String... expectedMembers) {
        JsonNode data = rpc.data(client, "join", "{'channel':" + channel + "}");
        assertThat(data.get("members")).extracting(JsonNode::asText).containsExactlyInAnyOrder(expectedMembers);
    }

    private static void assertPresence(RecordingClient client, String from, String status, String channel) {
        assertThat(client.drain()).containsExactly(json("{'service':'chat','message':{'type':'presence','from':'"
                + from + "','channel':'" + channel + "','status':'" + status
                + "','timestamp':'2026-01-01T00:00:00.000Z'}}"));
    }
}
