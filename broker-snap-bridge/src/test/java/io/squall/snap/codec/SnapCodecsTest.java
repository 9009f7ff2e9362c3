package io.squall.snap.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SnapCodecsTest {

    /** What a licensee's plug-in looks like: any SnapFrameCodec with a public no-argument constructor. */
    public static final class PluggedCodec implements SnapFrameCodec {
        private final CodecStats stats = new CodecStats();

        @Override
        public void decode(byte[] buf, int off, int len, Consumer<SnapMessage> out) {}

        @Override
        public void reset() {}

        @Override
        public byte[] encode(SnapMessage message) {
            return new byte[0];
        }

        @Override
        public CodecStats stats() {
            return stats;
        }
    }

    @Test
    void built_in_names_make_the_built_in_codecs() {
        assertThat(SnapCodecs.create("snapb1")).isInstanceOf(Snapb1Codec.class);
        assertThat(SnapCodecs.create("line")).isInstanceOf(LineCodec.class);
    }

    @Test
    void a_class_name_loads_a_plug_in() {
        assertThat(SnapCodecs.create(PluggedCodec.class.getName())).isInstanceOf(PluggedCodec.class);
    }

    @Test
    void bad_plug_ins_fail_naming_the_key() {
        assertThatThrownBy(() -> SnapCodecs.create("com.example.Missing")).hasMessageContaining("snap.codec");
        assertThatThrownBy(() -> SnapCodecs.create(String.class.getName())).hasMessageContaining("does not implement");
    }
}
