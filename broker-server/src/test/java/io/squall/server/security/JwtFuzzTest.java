package io.squall.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.squall.core.json.Json;
import io.squall.server.testing.Jwts;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Fuzzes the JWT reader of public handshakes (corpus: JwtFuzzTestInputs): tokens whose header and claims the
 * fuzzer writes as raw JSON (or not JSON), signed with the configured secret, with another one, or damaged, and
 * arbitrary strings. The reader never throws; a refusal is one of {@link Refusal}'s reasons (the 401 body and the
 * metric tag); only a token signed with the secret, naming an accepted algorithm, not expired, with an identity, is
 * accepted, and its identity is the claim's value.
 */
class JwtFuzzTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final Authenticator authenticator;

    JwtFuzzTest() {
        var config = AuthenticatorTest.config("auth.jwt.secret=" + Jwts.SECRET);
        authenticator = new Authenticator(config, JwtKeys.load(config), InstantSource.fixed(NOW), Json.mapper(),
                new SimpleMeterRegistry());
    }

    @FuzzTest
    void authenticate(FuzzedDataProvider data) throws GeneralSecurityException {
        int mode = data.consumeInt(0, 3);
        String token;
        boolean rightKey = false;
        if (mode == 0) {
            token = data.consumeRemainingAsString();
        } else {
            String header = data.consumeBoolean() ? "{\"alg\":\"HS256\",\"typ\":\"JWT\"}" : data.consumeString(60);
            String claims = data.consumeBoolean()
                    ? "{\"sub\":" + data.consumeString(20) + ",\"exp\":" + data.consumeLong() + "}"
                    : data.consumeString(120);
            String signingInput = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                    + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
            rightKey = mode == 1;
            String secret = rightKey ? Jwts.SECRET : Jwts.SECRET.substring(1) + "!";
            token = signingInput + "." + B64.encodeToString(hmac(secret, signingInput));
            if (mode == 3 && data.remainingBytes() > 0) { // damaged in transit
                int at = data.consumeInt(0, token.length() - 1);
                String damaged = token.substring(0, at) + data.consumeAsciiString(3) + token.substring(at + 1);
                rightKey = damaged.equals(token);
                token = damaged;
            }
        }

        AuthResult result = authenticator.authenticate(Optional.of(token));

        switch (result) {
            case AuthResult.Refused refused -> assertThat(refused.refusal().http().body()).isNotBlank();
            case AuthResult.Authenticated accepted -> {
                assertThat(rightKey).as("accepted %s", token).isTrue();
                assertThat(accepted.identity().isNull()).isFalse();
                assertThat(accepted.identity().isTextual() && accepted.identity().textValue().isEmpty()).isFalse();
            }
            case AuthResult.Anonymous anonymous -> throw new AssertionError("a token is never anonymous");
        }
    }

    private static byte[] hmac(String secret, String input) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
    }
}
