package io.squall.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.squall.core.service.pubsub.ChannelRule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The auth.* and pubsub.permissions keys: defaults, values, and the startup errors that name them. */
class AuthConfigTest {
    private static final String SECRET = "a-secret-that-is-long-enough-for-hs256";

    @TempDir
    Path dir;

    private static ServerConfig load(String... flags) {
        String[] args = new String[flags.length];
        for (int i = 0; i < flags.length; i++) {
            args[i] = "--" + flags[i];
        }
        return ConfigLoader.load(args, Map.of());
    }

    @Test
    void defaults_are_the_documented_ones() {
        AuthConfig auth = load().auth();

        assertThat(auth.anonymous()).as("auto").isEmpty();
        assertThat(auth.allowsAnonymous()).as("no key: anonymous, so the quickstart works").isTrue();
        assertThat(auth.verifiesTokens()).isFalse();
        assertThat(auth.leeway()).isEqualTo(Duration.ofSeconds(30));
        assertThat(auth.identityClaim()).isEqualTo("sub");
        assertThat(auth.tokenTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(auth.tokenMaxTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(auth.backendService()).isEqualTo("auth_backend");
        assertThat(load().pubsubPermissions()).isEmpty();
    }

    @Test
    void a_configured_key_turns_anonymous_off_unless_it_is_asked_for() {
        assertThat(load("auth.jwt.secret=" + SECRET).auth().allowsAnonymous()).isFalse();
        assertThat(load("auth.jwt.secret=" + SECRET, "auth.anonymous=true").auth().allowsAnonymous()).isTrue();
        assertThat(load("auth.anonymous=TRUE").auth().anonymous()).contains(true);
    }

    @Test
    void anonymous_off_without_any_key_is_refused() {
        assertThatThrownBy(() -> load("auth.anonymous=false"))
                .hasMessageContaining("auth.anonymous=false needs a token key");
    }

    @Test
    void bad_auth_values_name_their_key() {
        assertThatThrownBy(() -> load("auth.anonymous=maybe"))
                .hasMessage("auth.anonymous (SQUALL_AUTH_ANONYMOUS) must be true, false or auto, was 'maybe'");
        assertThatThrownBy(() -> load("auth.token.ttl=2w")).hasMessageStartingWith("auth.token.ttl (SQUALL_AUTH_TOKEN_TTL)");
        assertThatThrownBy(() -> load("auth.token.ttl=48h")).hasMessageContaining("must not exceed auth.token.max.ttl");
        assertThatThrownBy(() -> load("auth.identity.claim=exp")).hasMessageContaining("auth.identity.claim");
        assertThatThrownBy(() -> load("auth.backend.service= ")).hasMessageContaining("auth.backend.service");
    }

    @Test
    void optional_keys_are_read() {
        AuthConfig auth = load("auth.jwt.public.key=/etc/squall/jwt.pem", "auth.jwt.issuer=https://id.example",
                "auth.jwt.audience=squall", "auth.identity.claim=email").auth();

        assertThat(auth.jwtPublicKey()).contains(Path.of("/etc/squall/jwt.pem"));
        assertThat(auth.issuer()).contains("https://id.example");
        assertThat(auth.audience()).contains("squall");
        assertThat(auth.identityClaim()).isEqualTo("email");
        assertThat(auth.jwtJwks()).isEqualTo(Optional.empty());
        assertThat(auth.allowsAnonymous()).isFalse();
    }

    @Test
    void permissions_read_from_a_properties_file_across_continued_lines() throws IOException {
        Path file = dir.resolve("squall.properties");
        Files.writeString(file, """
                pubsub.permissions = \\
                    allow subscribe user:{identity}; \\
                    deny  subscribe user:*; \\
                    allow subscribe *
                """, StandardCharsets.UTF_8);

        ServerConfig config = ConfigLoader.load(new String[] {"--config", file.toString()}, Map.of());

        assertThat(config.pubsubPermissions()).extracting(ChannelRule::source)
                .containsExactly("allow subscribe user:{identity}", "deny  subscribe user:*", "allow subscribe *");
    }

    @Test
    void a_bad_permission_rule_names_the_key_the_rule_and_the_problem() {
        assertThatThrownBy(() -> ConfigLoader.load(new String[0],
                Map.of("SQUALL_PUBSUB_PERMISSIONS", "allow subscribe news; allow subscrbe sport")))
                .hasMessage("pubsub.permissions (SQUALL_PUBSUB_PERMISSIONS): rule 2 'allow subscrbe sport': "
                        + "'subscrbe' is not subscribe, publish, history or presence");
    }

    @Test
    void allowing_client_publish_while_clients_may_not_publish_is_refused() {
        assertThatThrownBy(() -> load("clients.may.publish=false", "pubsub.permissions=allow publish chat:*"))
                .hasMessageContaining("allows publish but clients.may.publish=false");
        assertThat(load("clients.may.publish=false", "pubsub.permissions=deny publish chat:*; allow subscribe *")
                .pubsubPermissions()).hasSize(2);
    }
}
