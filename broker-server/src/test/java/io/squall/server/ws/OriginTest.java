package io.squall.server.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The strict RFC 6454 origin parser: what a browser sends is read, normalized; anything else is refused. */
class OriginTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "https://app.example.com | https://app.example.com",
        "HTTPS://App.Example.COM | https://app.example.com",
        "https://app.example.com:443 | https://app.example.com",
        "http://app.example.com:80 | http://app.example.com",
        "http://app.example.com:443 | http://app.example.com:443",
        "https://app.example.com:8443 | https://app.example.com:8443",
        "http://127.0.0.1:8080 | http://127.0.0.1:8080",
        "http://[::1]:8080 | http://[::1]:8080",
        "http://[2001:DB8::1] | http://[2001:db8::1]",
        "https://xn--caf-dma.example | https://xn--caf-dma.example",
        "chrome-extension://abcdefghijklmnop | chrome-extension://abcdefghijklmnop",
        "moz-extension://abc:1234 | moz-extension://abc:1234",
    })
    void well_formed_origins_are_read_and_normalized(String header, String serialized) {
        assertThat(Origin.parse(header).serialized()).isEqualTo(serialized);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://app.example.com/",
        "https://evil.com/.example.org",
        "https://app.example.com/path",
        "https://app.example.com?x=1",
        "https://app.example.com#top",
        "https://user@app.example.com",
        "https://app.example.com@evil.com",
        "https://evil.com\\.example.org",
        "app.example.com",
        "//app.example.com",
        "https:/app.example.com",
        "https://",
        "https://:443",
        "https://app.example.com:",
        "https://app.example.com:0",
        "https://app.example.com:65536",
        "https://app.example.com:+443",
        "https://app.example.com:443:443",
        "https://app..example.com",
        "https://.example.com",
        "https://app.example.com.",
        "https://*.example.com",
        "https://-app.example.com",
        "https://app_x.example.com",
        "https://café.example",
        "https://app.example.com https://other.example",
        "https://[::1",
        "https://[::1]x",
        "https://[zz::1]",
        "1https://app.example.com",
        "",
        " https://app.example.com",
    })
    void anything_but_scheme_host_and_port_is_refused(String header) {
        assertThatThrownBy(() -> Origin.parse(header)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "https://broker.example.com | https://broker.example.com",
        "https://broker.example.com/ | https://broker.example.com",
        "https://Broker.Example.com:443/squall/ | https://broker.example.com",
        "http://10.0.0.5:8080 | http://10.0.0.5:8080",
    })
    void a_base_url_gives_its_origin_and_may_have_a_path(String url, String origin) {
        assertThat(Origin.ofUrl(url).serialized()).isEqualTo(origin);
    }

    @ParameterizedTest
    @ValueSource(strings = {"broker.example.com", "wss://broker.example.com", "https://u:p@broker.example.com",
        "https://broker.example.com/?x", "https://broker.example.com/#x", "ftp://broker.example.com", "https:///x"})
    void a_base_url_must_be_an_absolute_http_url_without_user_info_query_or_fragment(String url) {
        assertThatThrownBy(() -> Origin.ofUrl(url)).isInstanceOf(IllegalArgumentException.class);
    }
}
