package io.squall.server.security;

import static io.squall.server.testing.Jwts.claims;
import static io.squall.server.testing.Jwts.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.squall.core.json.Json;
import io.squall.server.config.AuthConfig;
import io.squall.server.config.ConfigLoader;
import io.squall.server.testing.Jwts;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthenticatorTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final KeyPair RSA = Jwts.rsa(2048);
    private static final KeyPair EC = Jwts.ec("secp256r1");

    @TempDir
    Path dir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    static AuthConfig config(String... flags) {
        List<String> args = new ArrayList<>();
        for (String flag : flags) {
            args.add("--" + flag);
        }
        return ConfigLoader.load(args.toArray(String[]::new), Map.of()).auth();
    }

    private Authenticator authenticator(String... flags) {
        AuthConfig config = config(flags);
        return new Authenticator(config, JwtKeys.load(config), InstantSource.fixed(NOW), Json.mapper(), meters);
    }

    private Authenticator hs256() {
        return authenticator("auth.jwt.secret=" + Jwts.SECRET);
    }

    private static AuthResult accepted(String identity) {
        return new AuthResult.Authenticated(com.fasterxml.jackson.databind.node.TextNode.valueOf(identity));
    }

    private static AuthResult refused(Refusal refusal) {
        return new AuthResult.Refused(refusal);
    }

    @Test
    void a_header_that_is_json_null_is_malformed_not_an_exception() {
        // base64url("null") . base64url("{}") . signature: found by the fuzzer (the JWT library threw an NPE)
        assertThat(hs256().authenticate(Optional.of("bnVsbA.e30.c2ln"))).isEqualTo(refused(Refusal.MALFORMED));
    }

    @Test
    void hs256_token_is_accepted_with_sub_as_the_identity() {
        String token = Jwts.hs256(Jwts.SECRET, claims("alice", NOW, 60).build());

        assertThat(hs256().authenticate(Optional.of(token))).isEqualTo(accepted("alice"));
        assertThat(meters.get("broker.auth.accepted").tag("kind", "token").counter().count()).isEqualTo(1.0);
    }

    @Test
    void rs256_token_is_accepted_with_a_pem_public_key() {
        Path pem = Jwts.writePublicPem(dir.resolve("rsa.pem"), RSA);
        String token = Jwts.rs256(RSA, claims("bob", NOW, 60).build());

        assertThat(authenticator("auth.jwt.public.key=" + pem).authenticate(Optional.of(token))).isEqualTo(accepted("bob"));
    }

    @Test
    void es256_token_is_accepted_with_a_jwks_file_and_its_kid() {
        Path jwks = Jwts.writeEcJwks(dir.resolve("jwks.json"), EC, "key-1");
        String token = Jwts.es256(EC, "key-1", claims("carol", NOW, 60).build());

        assertThat(authenticator("auth.jwt.jwks=" + jwks).authenticate(Optional.of(token))).isEqualTo(accepted("carol"));
    }

    @Test
    void a_kid_the_set_does_not_have_is_refused_as_unknown_key() {
        Path jwks = Jwts.writeEcJwks(dir.resolve("jwks.json"), EC, "key-1");
        String token = Jwts.es256(EC, "key-2", claims("carol", NOW, 60).build());

        assertThat(authenticator("auth.jwt.jwks=" + jwks).authenticate(Optional.of(token)))
                .isEqualTo(refused(Refusal.UNKNOWN_KEY));
    }

    @Test
    void a_token_with_a_kid_is_still_checked_against_a_pem_key_without_one() {
        Path pem = Jwts.writePublicPem(dir.resolve("ec.pem"), EC);
        String token = Jwts.es256(EC, "idp-key-7", claims("dave", NOW, 60).build());

        assertThat(authenticator("auth.jwt.public.key=" + pem).authenticate(Optional.of(token))).isEqualTo(accepted("dave"));
    }

    @Test
    void expired_token_is_refused() {
        String token = Jwts.hs256(Jwts.SECRET, claims("alice", NOW, -31).build());

        assertThat(hs256().authenticate(Optional.of(token))).isEqualTo(refused(Refusal.EXPIRED));
        assertThat(meters.get("broker.auth.refused").tag("reason", "expired").counter().count()).isEqualTo(1.0);
    }

    @Test
    void not_yet_valid_token_is_refused() {
        String token = Jwts.hs256(Jwts.SECRET, with(claims("alice", NOW, 600), c -> c.notBeforeTime(
                Date.from(NOW.plusSeconds(31)))));

        assertThat(hs256().authenticate(Optional.of(token))).isEqualTo(refused(Refusal.NOT_YET_VALID));
    }

    @Test
    void leeway_absorbs_clock_skew_on_exp_and_nbf() {
        String justExpired = Jwts.hs256(Jwts.SECRET, claims("alice", NOW, -29).build());
        String almostValid = Jwts.hs256(Jwts.SECRET, with(claims("alice", NOW, 600), c -> c.notBeforeTime(
                Date.from(NOW.plusSeconds(29)))));

        assertThat(hs256().authenticate(Optional.of(justExpired))).as("default leeway 30s").isEqualTo(accepted("alice"));
        assertThat(hs256().authenticate(Optional.of(almostValid))).isEqualTo(accepted("alice"));
        Authenticator strict = authenticator("auth.jwt.secret=" + Jwts.SECRET, "auth.jwt.leeway=0s");
        assertThat(strict.authenticate(Optional.of(justExpired))).isEqualTo(refused(Refusal.EXPIRED));
        assertThat(strict.authenticate(Optional.of(almostValid))).isEqualTo(refused(Refusal.NOT_YET_VALID));
    }

    @Test
    void a_token_without_exp_is_refused() {
        String token = Jwts.hs256(Jwts.SECRET, new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("alice").build());

        assertThat(hs256().authenticate(Optional.of(token))).isEqualTo(refused(Refusal.NO_EXPIRY));
    }

    @Test
    void wrong_signature_is_refused() {
        String token = Jwts.hs256("another-secret-of-sufficient-length-000000", claims("alice", NOW, 60).build());
        String tampered = Jwts.hs256(Jwts.SECRET, claims("alice", NOW, 60).build());
        String[] parts = tampered.split("\\.");
        String forged = Jwts.hs256(Jwts.SECRET, claims("mallory", NOW, 60).build()).split("\\.")[1];

        assertThat(hs256().authenticate(Optional.of(token))).isEqualTo(refused(Refusal.BAD_SIGNATURE));
        assertThat(hs256().authenticate(Optional.of(parts[0] + "." + forged + "." + parts[2])))
                .as("claims swapped under a valid signature").isEqualTo(refused(Refusal.BAD_SIGNATURE));
    }

    @Test
    void alg_none_is_refused_even_when_anonymous_is_allowed() {
        String token = Jwts.unsigned(claims("alice", NOW, 60).build());

        assertThat(hs256().authenticate(Optional.of(token))).isEqualTo(refused(Refusal.ALGORITHM));
        assertThat(authenticator("auth.anonymous=true", "auth.jwt.secret=" + Jwts.SECRET)
                .authenticate(Optional.of(token))).isEqualTo(refused(Refusal.ALGORITHM));
    }

    @Test
    void an_algorithm_no_configured_key_allows_is_refused() {
        Path pem = Jwts.writePublicPem(dir.resolve("rsa.pem"), RSA);
        String hs = Jwts.hs256(Jwts.SECRET, claims("alice", NOW, 60).build());
        String hs512 = Jwts.sign(signer512(), new JWSHeader(JWSAlgorithm.HS512), claims("alice", NOW, 60).build());

        assertThat(authenticator("auth.jwt.public.key=" + pem).authenticate(Optional.of(hs)))
                .isEqualTo(refused(Refusal.ALGORITHM));
        assertThat(hs256().authenticate(Optional.of(hs512))).as("a 40-byte secret allows HS256 only")
                .isEqualTo(refused(Refusal.ALGORITHM));
    }

    @Test
    void hs256_signed_with_the_rsa_public_key_is_refused() throws Exception {
        Path pem = Jwts.writePublicPem(dir.resolve("rsa.pem"), RSA);
        byte[] publicKeyAsSecret = java.nio.file.Files.readAllBytes(pem);
        String confused = Jwts.sign(new MACSigner(publicKeyAsSecret), new JWSHeader(JWSAlgorithm.HS256),
                claims("mallory", NOW, 60).build());

        assertThat(authenticator("auth.jwt.public.key=" + pem).authenticate(Optional.of(confused)))
                .isEqualTo(refused(Refusal.ALGORITHM));
    }

    @Test
    void missing_token_is_refused_when_anonymous_is_off_and_anonymous_otherwise() {
        assertThat(hs256().authenticate(Optional.empty())).as("auto with a key: off").isEqualTo(refused(Refusal.MISSING));
        assertThat(authenticator().authenticate(Optional.empty())).as("auto without a key: on")
                .isEqualTo(new AuthResult.Anonymous());
        assertThat(authenticator("auth.anonymous=true", "auth.jwt.secret=" + Jwts.SECRET).authenticate(Optional.empty()))
                .isEqualTo(new AuthResult.Anonymous());
        assertThat(meters.get("broker.auth.refused").tag("reason", "missing").counter().count()).isEqualTo(1.0);
        assertThat(meters.get("broker.auth.accepted").tag("kind", "anonymous").counter().count()).isEqualTo(2.0);
    }

    @Test
    void a_token_is_refused_without_a_key_even_when_anonymous_is_allowed() {
        String token = Jwts.hs256(Jwts.SECRET, claims("alice", NOW, 60).build());

        assertThat(authenticator().authenticate(Optional.of(token))).isEqualTo(refused(Refusal.ALGORITHM));
    }

    @Test
    void malformed_tokens_are_refused() {
        Authenticator authenticator = hs256();

        for (String token : new String[] {"", "abc", "a.b.c", "x".repeat(Authenticator.MAX_TOKEN_CHARS + 1)}) {
            assertThat(authenticator.authenticate(Optional.of(token))).as(token.length() > 20 ? "huge" : token)
                    .isEqualTo(refused(Refusal.MALFORMED));
        }
    }

    @Test
    void issuer_and_audience_are_checked_when_configured() {
        Authenticator checked = authenticator("auth.jwt.secret=" + Jwts.SECRET, "auth.jwt.issuer=https://id.example",
                "auth.jwt.audience=squall");
        String good = Jwts.hs256(Jwts.SECRET, with(claims("alice", NOW, 60),
                c -> c.issuer("https://id.example").audience(List.of("other", "squall"))));
        String wrongIssuer = Jwts.hs256(Jwts.SECRET, with(claims("alice", NOW, 60),
                c -> c.issuer("https://evil.example").audience("squall")));
        String noAudience = Jwts.hs256(Jwts.SECRET, with(claims("alice", NOW, 60), c -> c.issuer("https://id.example")));

        assertThat(checked.authenticate(Optional.of(good))).isEqualTo(accepted("alice"));
        assertThat(checked.authenticate(Optional.of(wrongIssuer))).isEqualTo(refused(Refusal.ISSUER));
        assertThat(checked.authenticate(Optional.of(noAudience))).isEqualTo(refused(Refusal.AUDIENCE));
    }

    @Test
    void a_custom_identity_claim_may_hold_any_json() {
        Authenticator custom = authenticator("auth.jwt.secret=" + Jwts.SECRET, "auth.identity.claim=user");
        String token = Jwts.hs256(Jwts.SECRET, with(claims("ignored", NOW, 60),
                c -> c.claim("user", Map.of("id", 7, "name", "Alice"))));
        String without = Jwts.hs256(Jwts.SECRET, claims("alice", NOW, 60).build());

        AuthResult result = custom.authenticate(Optional.of(token));
        assertThat(result).isInstanceOf(AuthResult.Authenticated.class);
        JsonNode identity = ((AuthResult.Authenticated) result).identity();
        assertThat(identity.get("id").asInt()).isEqualTo(7);
        assertThat(identity.get("name").asText()).isEqualTo("Alice");
        assertThat(custom.authenticate(Optional.of(without))).isEqualTo(refused(Refusal.NO_IDENTITY));
    }

    @Test
    void an_empty_sub_is_no_identity() {
        String token = Jwts.hs256(Jwts.SECRET, claims("", NOW, 60).build());

        assertThat(hs256().authenticate(Optional.of(token))).isEqualTo(refused(Refusal.NO_IDENTITY));
    }

    private static MACSigner signer512() {
        try {
            return new MACSigner(Jwts.SECRET.repeat(2).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
