package io.squall.server.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.squall.server.ws.OriginPolicy.Verdict;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which origins the policy lets through: own origin from configuration only, listed ones strictly, null by name. */
class OriginPolicyTest {
    private static final int PORT = 8080;

    private static OriginPolicy policy(String publicUrl, String... allowed) {
        return new OriginPolicy(List.of(allowed), true, Optional.ofNullable(publicUrl), () -> PORT);
    }

    private static Verdict check(OriginPolicy policy, String origin) {
        return policy.check(List.of(origin));
    }

    @Test
    void the_issue_s_shapes_are_refused() {
        OriginPolicy policy = policy("https://app.example.com", "https://*.example.org");

        assertThat(check(policy, "https://app.example.com")).isEqualTo(Verdict.ALLOWED);
        assertThat(check(policy, "https://app.example.com/")).isEqualTo(Verdict.MALFORMED);
        assertThat(check(policy, "https://evil.com/.example.org")).isEqualTo(Verdict.MALFORMED);
        assertThat(check(policy, "https://www.example.org")).isEqualTo(Verdict.ALLOWED);
    }

    @Test
    void without_public_url_the_own_origin_is_loopback_on_the_public_port() {
        OriginPolicy policy = policy(null);

        assertThat(check(policy, "http://127.0.0.1:8080")).isEqualTo(Verdict.ALLOWED);
        assertThat(check(policy, "http://localhost:8080")).isEqualTo(Verdict.ALLOWED);
        assertThat(check(policy, "http://[::1]:8080")).isEqualTo(Verdict.ALLOWED);
        assertThat(check(policy, "http://127.0.0.1:8081")).isEqualTo(Verdict.NOT_ALLOWED);
        assertThat(check(policy, "https://127.0.0.1:8080")).isEqualTo(Verdict.NOT_ALLOWED);
        assertThat(check(policy, "http://evil.example:8080")).as("DNS rebinding: Host is never consulted")
                .isEqualTo(Verdict.NOT_ALLOWED);
        assertThat(check(policy(null), "http://127.0.0.2:8080")).isEqualTo(Verdict.NOT_ALLOWED);
    }

    @Test
    void on_port_80_the_loopback_origin_has_no_port() {
        OriginPolicy policy = new OriginPolicy(List.of(), true, Optional.empty(), () -> 80);

        assertThat(check(policy, "http://localhost")).isEqualTo(Verdict.ALLOWED);
        assertThat(check(policy, "http://localhost:80")).isEqualTo(Verdict.ALLOWED);
    }

    @Test
    void with_public_url_only_its_origin_is_own() {
        OriginPolicy policy = policy("https://broker.example.com/squall/");

        assertThat(check(policy, "https://broker.example.com")).isEqualTo(Verdict.ALLOWED);
        assertThat(check(policy, "HTTPS://BROKER.example.com:443")).isEqualTo(Verdict.ALLOWED);
        assertThat(check(policy, "http://broker.example.com")).isEqualTo(Verdict.NOT_ALLOWED);
        assertThat(check(policy, "https://broker.example.com:8443")).isEqualTo(Verdict.NOT_ALLOWED);
        assertThat(check(policy, "http://127.0.0.1:8080")).isEqualTo(Verdict.NOT_ALLOWED);
    }

    @Test
    void wildcards_need_a_subdomain_and_the_same_scheme_and_port() {
        OriginPolicy policy = policy(null, "https://*.example.com", "https://*.example.net:8443");

        assertThat(check(policy, "https://a.example.com")).isEqualTo(Verdict.ALLOWED);
        assertThat(check(policy, "https://a.b.example.com")).isEqualTo(Verdict.ALLOWED);
        assertThat(check(policy, "https://example.com")).isEqualTo(Verdict.NOT_ALLOWED);
        assertThat(check(policy, "https://evilexample.com")).isEqualTo(Verdict.NOT_ALLOWED);
        assertThat(check(policy, "https://example.com.evil.net")).isEqualTo(Verdict.NOT_ALLOWED);
        assertThat(check(policy, "http://a.example.com")).isEqualTo(Verdict.NOT_ALLOWED);
        assertThat(check(policy, "https://a.example.com:8443")).isEqualTo(Verdict.NOT_ALLOWED);
        assertThat(check(policy, "https://a.example.net:8443")).isEqualTo(Verdict.ALLOWED);
        assertThat(check(policy, "https://a.example.net")).isEqualTo(Verdict.NOT_ALLOWED);
    }

    @Test
    void null_is_allowed_only_by_name_and_star_allows_only_well_formed_origins() {
        assertThat(check(policy(null, "*"), "null")).isEqualTo(Verdict.NOT_ALLOWED);
        assertThat(check(policy(null, "*"), "https://anything.example")).isEqualTo(Verdict.ALLOWED);
        assertThat(check(policy(null, "*"), "https://anything.example/")).isEqualTo(Verdict.MALFORMED);
        assertThat(check(policy(null), "null")).isEqualTo(Verdict.NOT_ALLOWED);
        assertThat(check(policy(null, "null"), "null")).isEqualTo(Verdict.ALLOWED);
        assertThat(check(policy(null, "null"), "NULL")).as("the opaque origin is written in lower case")
                .isEqualTo(Verdict.MALFORMED);
    }

    @Test
    void a_missing_header_follows_allow_missing_and_two_headers_are_malformed() {
        assertThat(policy(null).check(List.of())).isEqualTo(Verdict.ALLOWED);
        assertThat(policy(null).check(null)).isEqualTo(Verdict.ALLOWED);
        OriginPolicy strict = new OriginPolicy(List.of(), false, Optional.empty(), () -> PORT);
        assertThat(strict.check(List.of())).isEqualTo(Verdict.MISSING);
        assertThat(policy(null, "*").check(List.of("https://a.example", "https://b.example")))
                .isEqualTo(Verdict.MALFORMED);
    }

    @Test
    void configured_entries_are_parsed_by_the_same_parser_and_a_bad_one_is_named() {
        assertThatThrownBy(() -> OriginPolicy.validate(List.of("https://ok.example", "https://app.example.com/")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'https://app.example.com/'")
                .hasMessageContaining("no path");
        assertThatThrownBy(() -> OriginPolicy.validate(List.of("*.example.com")))
                .hasMessageContaining("'*.example.com'");
        assertThat(check(policy(null, " HTTPS://Trusted.Example.org:443 "), "https://trusted.example.org"))
                .isEqualTo(Verdict.ALLOWED);
    }
}
