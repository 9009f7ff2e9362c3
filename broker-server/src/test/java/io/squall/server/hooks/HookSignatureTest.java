package io.squall.server.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HookSignatureTest {
    @Test
    void matches_python_hmac_over_the_same_bytes() {
        // python3 -c "import hmac,hashlib;print(hmac.new(b'0123456789abcdef',b'{\"a\":1}',hashlib.sha256).hexdigest())"
        HookSignature signature = new HookSignature("0123456789abcdef");
        assertThat(signature.sign("{\"a\":1}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=" + "1c76fbb930d3aa8b1633728fae212c68ca68a6752bb319b98be6fe17e86cf5b8");
    }

    @Test
    void a_short_secret_is_refused_naming_the_key() {
        assertThatThrownBy(() -> new HookSignature("short"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hooks.secret");
    }
}
