package io.squall.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.squall.bench.net.WsTarget;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgsTest {
    @Test
    void typed_values_and_lists_are_parsed() {
        Args args = new Args(new String[] {"run", "rates=50000, 100000", "step=2.5", "subscribers=10"}, 1);

        assertThat(args.doubles("rates", "1")).containsExactly(50_000.0, 100_000.0);
        assertThat(args.seconds("step", 10)).isEqualTo(Duration.ofMillis(2500));
        assertThat(args.integers("subscribers", "1")).containsExactly(10);
        assertThat(args.integers("payloads", "100,1024")).containsExactly(100, 1024);
    }

    @Test
    void bad_values_name_their_key() {
        assertThatThrownBy(() -> new Args(new String[] {"run", "subscribers=many"}, 1).integers("subscribers", "1"))
                .hasMessageContaining("subscribers");
        assertThatThrownBy(() -> new Args(new String[] {"run", "oops"}, 1)).hasMessageContaining("key=value");
    }

    @Test
    void only_loopback_addresses_are_loaded() {
        assertThatThrownBy(() -> new Args(new String[] {"run", "sub-url=ws://10.0.0.5:8080/ws"}, 1)
                .loopbackUri("sub-url")).hasMessageContaining("loopback");
        assertThatThrownBy(() -> new WsTarget(URI.create("ws://example.com/ws"), null, Map.of(), true))
                .hasMessageContaining("loopback");
        assertThat(new Args(new String[] {"run", "sub-url=ws://127.0.0.1:18080/ws"}, 1).loopbackUri("sub-url"))
                .contains(URI.create("ws://127.0.0.1:18080/ws"));
        assertThatThrownBy(() -> new io.squall.bench.net.WsConnector(List.of("192.168.1.2")))
                .hasMessageContaining("loopback");
    }
}
