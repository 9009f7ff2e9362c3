package io.squall.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DescriptorReserveTest {
    private static final long LIMIT = 1_000;
    private static final int RESERVE = 200;

    private long open = 100;
    private int samples;
    private long now;
    private final DescriptorReserve descriptors = new DescriptorReserve(() -> {
        samples++;
        return open;
    }, LIMIT, RESERVE, () -> now);

    @Test
    void connections_are_admitted_until_only_the_reserve_is_left() {
        open = LIMIT - RESERVE - 2;
        assertThat(descriptors.admits()).isTrue();
        descriptors.opened();
        assertThat(descriptors.admits()).isTrue();
        descriptors.opened();

        assertThat(descriptors.admits()).as("the limit minus the reserve is reached").isFalse();
    }

    @Test
    void a_closed_connection_gives_its_descriptor_back_before_the_next_sample() {
        open = LIMIT - RESERVE;
        assertThat(descriptors.admits()).isFalse();

        descriptors.closed();

        assertThat(descriptors.admits()).isTrue();
        assertThat(samples).isEqualTo(1);
    }

    @Test
    void the_open_descriptors_are_counted_at_most_once_a_second_and_the_count_corrects_the_estimate() {
        assertThat(descriptors.admits()).isTrue();
        open = LIMIT; // files opened elsewhere in the process: seen at the next sample only
        now += TimeUnit.MILLISECONDS.toNanos(999);
        assertThat(descriptors.admits()).isTrue();
        assertThat(samples).isEqualTo(1);

        now += TimeUnit.MILLISECONDS.toNanos(1);

        assertThat(descriptors.admits()).isFalse();
        assertThat(samples).isEqualTo(2);
    }

    @Test
    void the_public_listener_may_hold_what_is_free_but_half_the_reserve() {
        open = 100;

        assertThat(descriptors.publicListenerCap()).isEqualTo(LIMIT - 100 - RESERVE / 2);
        open = LIMIT;
        assertThat(descriptors.publicListenerCap()).as("never none at all").isEqualTo(1);
    }

    @Test
    void a_reserve_as_large_as_the_limit_is_refused_naming_the_setting() {
        assertThatThrownBy(() -> new DescriptorReserve(() -> 0, 256, 256, System::nanoTime))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fd.reserve");
    }
}
