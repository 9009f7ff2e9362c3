package io.squall.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.squall.core.service.datasync.DataSyncLimits;
import io.squall.core.service.datasync.dealer.BroadcastDealer;
import io.squall.core.service.datasync.dealer.FilterDealer;
import io.squall.core.service.datasync.dealer.SimpleDealer;
import io.squall.core.service.datasync.filter.FieldPath;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServicesConfigTest {

    @Test
    void defaults_run_every_service_in_snorkys_registries_under_snorkys_names() {
        ServicesConfig services = ServerConfig.defaults().services();

        assertThat(services.chat()).isEqualTo(new ServicesConfig.Placement("chat", ServicesConfig.Registry.PUBLIC));
        assertThat(services.messaging())
                .isEqualTo(new ServicesConfig.Placement("messaging", ServicesConfig.Registry.PUBLIC));
        assertThat(services.cursors()).isEqualTo(new ServicesConfig.Placement("cursors", ServicesConfig.Registry.PUBLIC));
        assertThat(services.datasync())
                .isEqualTo(new ServicesConfig.Placement("datasync", ServicesConfig.Registry.PUBLIC));
        assertThat(services.datasyncBackendService()).isEqualTo("datasync_backend");
        assertThat(services.datasyncLimits()).isEqualTo(DataSyncLimits.defaults());
        assertThat(services.datasyncDealers()).isEmpty();
        assertThat(services.chatMaxChannels()).isEqualTo(128);
        assertThat(services.messagingMaxNames()).isEqualTo(16);
        assertThat(services.messagingNamesFromIdentity()).isFalse();
        assertThat(services.cursorsMaxDocuments()).isEqualTo(128);
    }

    @Test
    void names_registries_and_limits_are_configurable() {
        ServicesConfig services = load("--chat.service=", "--messaging.service=dm", "--messaging.registry=private",
                "--messaging.names=identity", "--datasync.token.expiry=30s", "--datasync.max.buffered.deltas=10",
                "--datasync.max.subscriptions=3", "--datasync.max.pending=7", "--cursors.max.documents=2");

        assertThat(services.chat().enabled()).isFalse();
        assertThat(services.messaging()).isEqualTo(new ServicesConfig.Placement("dm", ServicesConfig.Registry.PRIVATE));
        assertThat(services.messagingNamesFromIdentity()).isTrue();
        assertThat(services.datasyncLimits()).isEqualTo(new DataSyncLimits(Duration.ofSeconds(30), 10, 3, 7));
        assertThat(services.cursorsMaxDocuments()).isEqualTo(2);
    }

    @Test
    void dealers_are_read_from_one_line() {
        ServicesConfig services = load(
                "--datasync.dealers=AllTasks=broadcast:Task, Filtered=filter:Task ,ByOwner=simple:Task:owner.id");

        assertThat(services.datasyncDealers()).containsExactly(
                new DealerSpec("AllTasks", DealerSpec.Kind.BROADCAST, "Task", Optional.empty()),
                new DealerSpec("Filtered", DealerSpec.Kind.FILTER, "Task", Optional.empty()),
                new DealerSpec("ByOwner", DealerSpec.Kind.SIMPLE, "Task", Optional.of(FieldPath.parse("owner.id"))));
        assertThat(services.datasyncDealers()).extracting(DealerSpec::build)
                .hasExactlyElementsOfTypes(BroadcastDealer.class, FilterDealer.class, SimpleDealer.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "chat.registry=both                         | chat.registry",
        "chat.registry=private                      | chat.registry=private",
        "cursors.registry=private                   | cursors.registry=private",
        "messaging.names=anyone                     | messaging.names",
        "datasync.dealers=x=broadcast               | datasync.dealers",
        "datasync.dealers=x=magic:Task              | datasync.dealers",
        "datasync.dealers=x=simple:Task             | datasync.dealers",
        "datasync.dealers=x=filter:Task:id          | datasync.dealers",
        "datasync.dealers=x=filter:Task,x=filter:T  | datasync.dealers",
        "datasync.dealers=x=simple:Task:a..b        | datasync.dealers",
        "datasync.dealers==filter:Task              | datasync.dealers",
        "datasync.max.buffered.deltas=0             | datasync",
        "datasync.token.expiry=0s                   | datasync",
        "chat.max.channels=0                        | chat.max.channels"
    })
    void a_bad_value_stops_the_start_naming_the_key(String flag, String key) {
        assertThatThrownBy(() -> load("--" + flag)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(key);
    }

    private static ServicesConfig load(String... args) {
        return ConfigLoader.load(args, Map.of()).services();
    }
}
