package io.squall.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ManyChannelsTest {
    @Test
    void personal_publications_owe_one_delivery_and_group_ones_a_delivery_per_member() {
        // 25 connections: groups g0 and g1 of ten, g2 of five; k even -> personal, k odd -> group (k/2) % 3
        assertThat(ManyChannels.expected(0, 25, 3)).isZero();
        assertThat(ManyChannels.expected(1, 25, 3)).isEqualTo(1);
        assertThat(ManyChannels.expected(2, 25, 3)).isEqualTo(1 + 10);
        assertThat(ManyChannels.expected(6, 25, 3)).isEqualTo(3 + 10 + 10 + 5);
        assertThat(ManyChannels.expected(8, 25, 3)).isEqualTo(4 + 10 + 10 + 5 + 10);
    }
}
