package io.squall.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConsoleHttpTest {
    @Test
    void form_fields_are_url_decoded_and_malformed_ones_are_null() {
        assertThat(ConsoleHttp.formField("password=a%26b+c%3D", "password")).isEqualTo("a&b c=");
        assertThat(ConsoleHttp.formField("x=1&password=p", "password")).isEqualTo("p");
        assertThat(ConsoleHttp.formField("passwordx=1", "password")).isNull();
        assertThat(ConsoleHttp.formField("password=%zz", "password")).isNull();
        assertThat(ConsoleHttp.formField("", "password")).isNull();
    }
}
