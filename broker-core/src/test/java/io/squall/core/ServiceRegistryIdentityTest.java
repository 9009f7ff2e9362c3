package io.squall.core;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.squall.core.loop.ManualEventLoop;
import io.squall.core.testing.RecordingClient;
import io.squall.core.testing.ServiceContexts;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry's identity index: who is connected as whom, for the backend's disconnect. */
class ServiceRegistryIdentityTest {
    private final ManualEventLoop loop = new ManualEventLoop();
    private final ServiceRegistry registry = new ServiceRegistry("public", ServiceContexts.create(loop));

    @Test
    void finds_every_connection_of_an_identity_and_only_those() {
        RecordingClient phone = new RecordingClient("phone").withIdentity(json("'alice'"));
        RecordingClient laptop = new RecordingClient("laptop").withIdentity(json("'alice'"));
        RecordingClient bob = new RecordingClient("bob").withIdentity(json("'bob'"));
        RecordingClient anonymous = new RecordingClient("anonymous");
        List.of(phone, laptop, bob, anonymous).forEach(registry::connected);

        assertThat(registry.clientsWithIdentity(json("'alice'"))).containsExactlyInAnyOrder(phone, laptop);
        assertThat(registry.clientsWithIdentity(json("'bob'"))).containsExactly(bob);
        assertThat(registry.clientsWithIdentity(json("'carol'"))).isEmpty();
        assertThat(registry.identityCount()).isEqualTo(2);
    }

    @Test
    void identities_compare_as_json_values() {
        RecordingClient object = new RecordingClient("o").withIdentity(json("{'id':7,'org':'acme'}"));
        RecordingClient number = new RecordingClient("n").withIdentity(json("42"));
        registry.connected(object);
        registry.connected(number);

        assertThat(registry.clientsWithIdentity(json("{'org':'acme','id':7.0}"))).containsExactly(object);
        assertThat(registry.clientsWithIdentity(json("42.0"))).containsExactly(number);
        assertThat(registry.clientsWithIdentity(json("'42'"))).isEmpty();
    }

    @Test
    void the_answer_is_a_snapshot_safe_to_close_while_iterating() {
        RecordingClient a = new RecordingClient("a").withIdentity(json("'alice'"));
        RecordingClient b = new RecordingClient("b").withIdentity(json("'alice'"));
        registry.connected(a);
        registry.connected(b);

        for (Client client : registry.clientsWithIdentity(json("'alice'"))) {
            registry.disconnected(client);
        }

        assertThat(registry.identityCount()).isZero();
    }

    @Test
    void disconnects_leave_nothing_behind_with_many_clients() {
        List<RecordingClient> clients = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            RecordingClient client = new RecordingClient("c" + i).withIdentity(json("'user" + (i % 700) + "'"));
            clients.add(client);
            registry.connected(client);
        }
        assertThat(registry.identityCount()).isEqualTo(700);
        assertThat(registry.clientsWithIdentity(json("'user3'"))).hasSize(8);

        clients.forEach(registry::disconnected);
        clients.forEach(registry::disconnected); // twice is harmless

        assertThat(registry.identityCount()).isZero();
        assertThat(registry.clientCount()).isZero();
        assertThat(registry.clientsWithIdentity(json("'user3'"))).isEmpty();
    }
}
