package io.squall.core.service.cursors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PublicHandlesTest {
    private final PublicHandles handles = new PublicHandles(new SplittableRandom(7));

    @Test
    void a_crowded_document_still_finds_its_last_free_handle_and_a_full_one_has_none() {
        Map<Integer, Object> taken = new HashMap<>();
        for (int h = 0; h < PublicHandles.SPACE; h++) {
            if (h != 12_345) {
                taken.put(h, "x");
            }
        }

        assertThat(handles.pick(taken)).hasValue(12_345);
        taken.put(12_345, "x");
        assertThat(handles.pick(taken)).isEmpty();
    }

    @Test
    void handles_are_16_bit_and_avoid_the_taken_ones() {
        Map<Integer, Object> taken = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            int handle = handles.pick(taken).orElseThrow();
            assertThat(handle).isBetween(0, 65_535);
            assertThat(taken.put(handle, "x")).isNull();
        }
    }
}
