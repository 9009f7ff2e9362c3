package io.squall.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.squall.server.config.AuthConfig;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;

/**
 * Signs tokens for the backend's {@code mintToken}, so an app without a JWT library can still log users in. The
 * token carries the identity in the configured claim, {@code iat}, {@code nbf}, {@code exp}, a random {@code jti},
 * and {@code iss}/{@code aud} when they are required. Thread-safe.
 */
public final class TokenMinter {
    private final AuthConfig config;
    private final Optional<JwtKeys.Signer> signer;
    private final InstantSource clock;
    private final ObjectMapper mapper;
    private final SecureRandom random; // null when nothing can sign: seeding one costs start-up time for nothing

    /** A signed token and when it expires. */
    public record Minted(String token, Instant expiresAt) {}

    public TokenMinter(AuthConfig config, JwtKeys keys, InstantSource clock, ObjectMapper mapper) {
        this.config = config;
        this.signer = keys.signer();
        this.clock = clock;
        this.mapper = mapper;
        this.random = signer.isPresent() ? new SecureRandom() : null;
    }

    /** Whether a secret or private key is configured to sign with. */
    public boolean canMint() {
        return signer.isPresent();
    }

    /**
     * @param identity the identity, any JSON but null; a string when the identity claim is {@code sub}
     * @param ttl the lifetime, at most {@code auth.token.max.ttl}
     */
    public Minted mint(JsonNode identity, Duration ttl) {
        JwtKeys.Signer key = signer.orElseThrow(() -> new IllegalStateException("no signing key configured"));
        // whole seconds: exp is a NumericDate, and a token must not outlive what was asked
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expires = now.plus(ttl);
        byte[] id = new byte[16];
        random.nextBytes(id);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .claim(config.identityClaim(), mapper.convertValue(identity, Object.class))
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(expires))
                .jwtID(Base64.getUrlEncoder().withoutPadding().encodeToString(id));
        config.issuer().ifPresent(claims::issuer);
        config.audience().ifPresent(claims::audience);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(key.algorithm()).type(JOSEObjectType.JWT).build(),
                claims.build());
        try {
            jwt.sign(key.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
        return new Minted(jwt.serialize(), expires);
    }
}
