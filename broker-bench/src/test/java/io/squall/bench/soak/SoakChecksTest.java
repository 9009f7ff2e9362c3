package io.squall.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The soak's judgements without a broker: sequence checks, trends, options and the histogram reader. */
class SoakChecksTest {
    @Test
    void a_sequence_counts_gaps_repeats_and_a_missing_tail() {
        SeqCheck check = new SeqCheck(0);
        for (long seq : new long[] {0, 1, 2, 5, 6, 4, 6, 7}) {
            check.accept(seq);
        }
        assertThat(check.received()).isEqualTo(8);
        assertThat(check.gaps()).as("3 and 4 skipped").isEqualTo(2);
        assertThat(check.outOfOrder()).as("4 late, 6 repeated").isEqualTo(2);
        assertThat(check.lostBefore(8)).isEqualTo(2);
        assertThat(check.lostBefore(10)).as("8 and 9 never came").isEqualTo(4);
    }

    @Test
    void a_receiver_joining_mid_stream_starts_at_whatever_comes_first() {
        SeqCheck check = new SeqCheck(-1);
        check.accept(41);
        check.accept(42);
        assertThat(check.gaps()).isZero();
        assertThat(check.lostBefore(43)).isZero();
        assertThat(new SeqCheck(0).lostBefore(5)).as("nothing received at all").isEqualTo(5);
    }

    @Test
    void a_steady_leak_is_growing_and_noise_or_a_single_step_is_not() {
        double[] t = new double[18];
        double[] leak = new double[18];
        double[] noise = new double[18];
        double[] step = new double[18];
        for (int i = 0; i < t.length; i++) {
            t[i] = 30 + 5 * i;
            leak[i] = 100 + 10 * i; // +170 over the run
            noise[i] = 100 + (i % 2 == 0 ? 60 : -60); // wide, but no rise
            step[i] = i == 17 ? 400 : 100; // one high last sample: neither the medians nor the fit go far enough
        }
        assertThat(Trend.of("fds", t, leak, 64, 0.1).growing()).isTrue();
        assertThat(Trend.of("fds", t, noise, 64, 0.1).growing()).isFalse();
        assertThat(Trend.of("fds", t, step, 64, 0.1).growing()).isFalse();
        assertThat(Trend.of("fds", new double[] {1, 2}, new double[] {1, 900}, 64, 0.1).judged()).isFalse();
    }

    @Test
    void trends_use_only_complete_samples_after_the_warm_up() {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            // the warm-up's first 6 samples climb (caches filling), then it is flat
            long heap = i < 6 ? 1_000_000L * i : 8_000_000L;
            samples.add(new Sample(5 * i, heap, 200 + i % 3, 25, 1, 1, 200));
        }
        samples.add(new Sample(151, -1, 9999, 25, 1, 1, 200)); // a reading that failed: not used
        List<Trend> trends = Trend.all(samples, 30, Trend.Tolerances.DEFAULT);
        assertThat(trends).extracting(Trend::name).containsExactly("heap after GC", "descriptors", "threads");
        assertThat(trends).allSatisfy(trend -> assertThat(trend.growing()).as(trend.verdict()).isFalse());
        assertThat(trends.get(0).samples()).isEqualTo(24);
    }

    @Test
    void options_take_durations_and_reject_what_they_do_not_know() {
        SoakOptions options = SoakOptions.parse(new String[] {"--duration", "1h", "--subscribers=50"});
        assertThat(options.duration()).isEqualTo(Duration.ofHours(1));
        assertThat(options.subscribers()).isEqualTo(50);
        assertThat(options.sampleEvery()).as("an hour: 120 samples").isEqualTo(Duration.ofSeconds(30));
        assertThat(options.warmup()).as("capped at 5 minutes").isEqualTo(Duration.ofMinutes(5));
        assertThat(options.jar()).isEqualTo(Path.of("broker-server/target/broker-server.jar"));
        SoakOptions short2m = SoakOptions.parse(new String[0]);
        assertThat(short2m.sampleEvery()).isEqualTo(Duration.ofSeconds(5));
        assertThat(short2m.warmup()).isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> SoakOptions.parse(new String[] {"--duration", "soon"}))
                .hasMessageContaining("--duration");
        assertThatThrownBy(() -> SoakOptions.parse(new String[] {"--no-such=1"})).hasMessageContaining("no-such");
        assertThatThrownBy(() -> SoakOptions.parse(new String[] {"--rate"})).hasMessageContaining("needs a value");
    }

    @Test
    void the_live_heap_is_the_total_of_a_class_histogram() {
        String histogram = """
                12345:
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:         21270        2094128  [B (java.base@25)
                   2:          1000          24000  java.lang.String (java.base@25)
                Total         63549        8480304
                """;
        assertThat(Sampler.histogramTotal(histogram)).isEqualTo(8480304);
        assertThat(Sampler.histogramTotal("12345:\nAttach failed")).isEqualTo(-1);
    }
}
