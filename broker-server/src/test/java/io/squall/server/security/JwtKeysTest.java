package io.squall.server.security;

import static io.squall.server.security.AuthenticatorTest.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.squall.core.json.Json;
import io.squall.server.config.AuthConfig;
import io.squall.server.testing.Jwts;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading keys: every mistake stops the start with a message naming the configuration key. */
class JwtKeysTest {
    @TempDir
    Path dir;

    @Test
    void a_short_hs256_secret_is_refused_naming_the_key() {
        assertThatThrownBy(() -> config("auth.jwt.secret=only-twenty-bytes-xx"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("auth.jwt.secret must be at least 32 bytes");
    }

    @Test
    void secret_length_decides_which_hs_algorithms_are_allowed() {
        assertThat(JwtKeys.load(config("auth.jwt.secret=" + "s".repeat(32))).algorithms())
                .containsExactly(JWSAlgorithm.HS256);
        assertThat(JwtKeys.load(config("auth.jwt.secret=" + "s".repeat(64))).algorithms())
                .containsExactlyInAnyOrder(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);
    }

    @Test
    void an_ec_pem_key_allows_the_es_algorithm_of_its_curve() {
        Path p384 = Jwts.writePublicPem(dir.resolve("p384.pem"), Jwts.ec("secp384r1"));

        assertThat(JwtKeys.load(config("auth.jwt.public.key=" + p384)).algorithms()).containsExactly(JWSAlgorithm.ES384);
    }

    @Test
    void a_missing_key_file_is_refused_naming_the_key() {
        assertThatThrownBy(() -> JwtKeys.load(config("auth.jwt.public.key=" + dir.resolve("nope.pem"))))
                .hasMessageStartingWith("auth.jwt.public.key: cannot read");
        assertThatThrownBy(() -> JwtKeys.load(config("auth.jwt.jwks=" + dir.resolve("nope.json"))))
                .hasMessageStartingWith("auth.jwt.jwks: cannot read");
    }

    @Test
    void a_file_without_the_expected_pem_block_is_refused() {
        Path garbage = Jwts.write(dir.resolve("garbage.pem"), "hello");

        assertThatThrownBy(() -> JwtKeys.load(config("auth.jwt.public.key=" + garbage)))
                .hasMessageContaining("has no '-----BEGIN PUBLIC KEY-----' block");
    }

    @Test
    void a_pkcs1_private_key_is_refused_with_the_command_that_converts_it() {
        Path pkcs1 = Jwts.writePem(dir.resolve("old.pem"), "RSA PRIVATE KEY", new byte[] {1, 2, 3});

        assertThatThrownBy(() -> JwtKeys.load(config("auth.jwt.private.key=" + pkcs1)))
                .hasMessageContaining("auth.jwt.private.key")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }

    @Test
    void a_short_rsa_key_is_refused() {
        Path weak = Jwts.writePublicPem(dir.resolve("weak.pem"), Jwts.rsa(1024));

        assertThatThrownBy(() -> JwtKeys.load(config("auth.jwt.public.key=" + weak)))
                .hasMessageContaining("RSA key of 1024 bits; at least 2048 are required");
    }

    @Test
    void a_jwks_that_is_not_json_or_holds_private_keys_is_refused() throws Exception {
        Path notJson = Jwts.write(dir.resolve("bad.json"), "{nope");
        KeyPair ec = Jwts.ec("secp256r1");
        ECKey withPrivate = new ECKey.Builder(Curve.P_256, (ECPublicKey) ec.getPublic())
                .privateKey((ECPrivateKey) ec.getPrivate()).keyID("k").build();
        Path leaked = Jwts.write(dir.resolve("leaked.json"), new JWKSet(withPrivate).toString(false));

        assertThatThrownBy(() -> JwtKeys.load(config("auth.jwt.jwks=" + notJson)))
                .hasMessageContaining("is not a JWK Set");
        assertThatThrownBy(() -> JwtKeys.load(config("auth.jwt.jwks=" + leaked)))
                .hasMessageContaining("includes private material");
    }

    @Test
    void a_private_key_whose_public_half_is_not_configured_is_refused_at_start() {
        KeyPair mine = Jwts.ec("secp256r1");
        Path privatePem = Jwts.writePrivatePem(dir.resolve("key.pem"), mine);
        Path otherPublic = Jwts.writePublicPem(dir.resolve("other.pem"), Jwts.ec("secp256r1"));
        AuthConfig config = config("auth.jwt.private.key=" + privatePem, "auth.jwt.public.key=" + otherPublic);

        assertThatThrownBy(() -> new Authenticator(config, JwtKeys.load(config), InstantSource.system(), Json.mapper(),
                new SimpleMeterRegistry()))
                .hasMessageContaining("auth.jwt.private.key signs tokens that no verification key accepts");
    }

    @Test
    void the_secret_signs_before_a_private_key_and_a_private_key_alone_signs_with_its_algorithm() {
        KeyPair rsa = Jwts.rsa(2048);
        Path privatePem = Jwts.writePrivatePem(dir.resolve("rsa.pem"), rsa);

        assertThat(JwtKeys.load(config("auth.jwt.secret=" + Jwts.SECRET, "auth.jwt.private.key=" + privatePem))
                .signer().orElseThrow().algorithm()).isEqualTo(JWSAlgorithm.HS256);
        assertThat(JwtKeys.load(config("auth.jwt.private.key=" + privatePem)).signer().orElseThrow().algorithm())
                .isEqualTo(JWSAlgorithm.RS256);
        assertThat(JwtKeys.load(config()).signer()).isEmpty();
    }

    @Test
    void the_config_never_prints_the_secret() {
        assertThat(config("auth.jwt.secret=" + Jwts.SECRET).toString()).doesNotContain(Jwts.SECRET).contains("(set)");
    }
}
