package io.squall.server.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.squall.server.config.AuthConfig;
import java.security.Key;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides who a handshake is: checks a JWT's signature (Nimbus JOSE+JWT, with only the algorithms the configured
 * keys allow, so {@code none} and HS-with-a-public-key confusion are refused), then its claims against the injected
 * clock ({@code exp} required, {@code nbf}, {@code iss}, {@code aud}, with the configured leeway), and takes the
 * identity from the configured claim. Thread-safe: it runs on Undertow's IO threads.
 */
public final class Authenticator {
    /** Longer tokens are refused before parsing (real ones are well under 2 KiB). */
    static final int MAX_TOKEN_CHARS = 16 * 1024;

    private final AuthConfig config;
    private final JwtKeys keys;
    private final InstantSource clock;
    private final ObjectMapper mapper;
    private final JWSVerificationKeySelector<SecurityContext> selector;
    /** the keys without a {@code kid} (the secret, a PEM key), tried when a token names a key the set does not have */
    private final JWSVerificationKeySelector<SecurityContext> unnamedSelector;
    private final DefaultJWSVerifierFactory verifiers;
    private final Map<Refusal, Counter> refused = new EnumMap<>(Refusal.class);
    private final Counter acceptedTokens;
    private final Counter acceptedAnonymous;

    public Authenticator(AuthConfig config, JwtKeys keys, InstantSource clock, ObjectMapper mapper,
            MeterRegistry meters) {
        this.config = config;
        this.keys = keys;
        this.clock = clock;
        this.mapper = mapper;
        // without keys nothing of the JOSE machinery is built, so an anonymous-only broker starts no slower
        boolean verifies = !keys.algorithms().isEmpty();
        this.selector = verifies ? selector(keys.algorithms(), keys.verification()) : null;
        this.unnamedSelector = verifies ? selector(keys.algorithms(),
                keys.verification().stream().filter(key -> key.getKeyID() == null).toList()) : null;
        this.verifiers = verifies ? new DefaultJWSVerifierFactory() : null;
        for (Refusal refusal : Refusal.values()) {
            refused.put(refusal, Counter.builder("broker.auth.refused")
                    .description("Public handshakes refused with 401, by reason")
                    .tag("reason", refusal.tag())
                    .register(meters));
        }
        this.acceptedTokens = accepted(meters, "token");
        this.acceptedAnonymous = accepted(meters, "anonymous");
        keys.signer().ifPresent(this::checkSignerIsVerifiable);
    }

    private static JWSVerificationKeySelector<SecurityContext> selector(Set<JWSAlgorithm> algorithms, List<JWK> keys) {
        return new JWSVerificationKeySelector<>(algorithms, new ImmutableJWKSet<>(new JWKSet(keys)));
    }

    private static Counter accepted(MeterRegistry meters, String kind) {
        return Counter.builder("broker.auth.accepted")
                .description("Public handshakes accepted, by kind")
                .tag("kind", kind)
                .register(meters);
    }

    /** @param token the presented token, or empty when none was */
    public AuthResult authenticate(Optional<String> token) {
        AuthResult result = token.map(this::verify).orElseGet(() -> config.allowsAnonymous()
                ? new AuthResult.Anonymous() : new AuthResult.Refused(Refusal.MISSING));
        count(result);
        return result;
    }

    /** Counts a refusal decided before a token could be read (ambiguous, bad scheme). */
    public AuthResult refuse(Refusal refusal) {
        AuthResult result = new AuthResult.Refused(refusal);
        count(result);
        return result;
    }

    private void count(AuthResult result) {
        switch (result) {
            case AuthResult.Authenticated authenticated -> acceptedTokens.increment();
            case AuthResult.Anonymous anonymous -> acceptedAnonymous.increment();
            case AuthResult.Refused refusal -> refused.get(refusal.refusal()).increment();
        }
    }

    private AuthResult verify(String token) {
        if (token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            return new AuthResult.Refused(Refusal.MALFORMED);
        }
        JWT parsed;
        try {
            parsed = JWTParser.parse(token);
        } catch (ParseException | RuntimeException e) {
            // the library throws NullPointerException on a header that is JSON but not an object ("null")
            return new AuthResult.Refused(Refusal.MALFORMED);
        }
        if (!(parsed instanceof SignedJWT signed)) {
            return new AuthResult.Refused(Refusal.ALGORITHM); // alg "none", or an encrypted token
        }
        Optional<Refusal> signature = checkSignature(signed);
        if (signature.isPresent()) {
            return new AuthResult.Refused(signature.get());
        }
        JWTClaimsSet claims;
        try {
            claims = signed.getJWTClaimsSet();
        } catch (ParseException e) {
            return new AuthResult.Refused(Refusal.MALFORMED);
        }
        return checkClaims(claims);
    }

    private Optional<Refusal> checkSignature(SignedJWT jwt) {
        JWSHeader header = jwt.getHeader();
        if (selector == null || !selector.isAllowed(header.getAlgorithm())) {
            return Optional.of(Refusal.ALGORITHM);
        }
        List<Key> candidates;
        try {
            candidates = selector.selectJWSKeys(header, null);
            if (candidates.isEmpty() && header.getKeyID() != null) {
                // identity providers put a kid in every token; a configured secret or PEM key has none
                candidates = unnamedSelector.selectJWSKeys(new JWSHeader.Builder(header).keyID(null).build(), null);
            }
        } catch (KeySourceException e) {
            return Optional.of(Refusal.UNKNOWN_KEY); // the set is in memory: this does not happen in practice
        }
        if (candidates.isEmpty()) {
            return Optional.of(Refusal.UNKNOWN_KEY);
        }
        for (Key key : candidates) {
            try {
                if (jwt.verify(verifiers.createJWSVerifier(header, key))) {
                    return Optional.empty();
                }
            } catch (JOSEException | IllegalStateException e) {
                // this key cannot check this token (e.g. an unknown critical header); try the next
            }
        }
        return Optional.of(Refusal.BAD_SIGNATURE);
    }

    private AuthResult checkClaims(JWTClaimsSet claims) {
        Instant now = clock.instant();
        Duration leeway = config.leeway();
        Date expires = claims.getExpirationTime();
        if (expires == null) {
            return new AuthResult.Refused(Refusal.NO_EXPIRY);
        }
        if (!now.isBefore(expires.toInstant().plus(leeway))) {
            return new AuthResult.Refused(Refusal.EXPIRED);
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && now.isBefore(notBefore.toInstant().minus(leeway))) {
            return new AuthResult.Refused(Refusal.NOT_YET_VALID);
        }
        if (config.issuer().isPresent() && !config.issuer().get().equals(claims.getIssuer())) {
            return new AuthResult.Refused(Refusal.ISSUER);
        }
        if (config.audience().isPresent()
                && (claims.getAudience() == null || !claims.getAudience().contains(config.audience().get()))) {
            return new AuthResult.Refused(Refusal.AUDIENCE);
        }
        JsonNode identity = identityOf(claims.getClaim(config.identityClaim()));
        if (identity == null || identity.isNull() || (identity.isTextual() && identity.textValue().isEmpty())) {
            return new AuthResult.Refused(Refusal.NO_IDENTITY);
        }
        return new AuthResult.Authenticated(identity, expires.toInstant().getEpochSecond());
    }

    /**
     * The claim as Squall's mapper reads JSON text, so an identity is the same tree whether it came in a token or in a
     * frame (the JWT parser makes every integer a Long; the mapper makes small ones ints).
     */
    private JsonNode identityOf(Object claim) {
        if (claim == null) {
            return null;
        }
        try {
            return mapper.readTree(mapper.writeValueAsString(claim));
        } catch (JsonProcessingException e) {
            return null; // beyond the JSON read limits: no usable identity
        }
    }

    /** A private key whose tokens no verification key accepts is a configuration mistake: say so at start. */
    private void checkSignerIsVerifiable(JwtKeys.Signer signer) {
        try {
            SignedJWT probe = new SignedJWT(new JWSHeader(signer.algorithm()), new JWTClaimsSet.Builder().build());
            probe.sign(signer.signer());
            if (checkSignature(SignedJWT.parse(probe.serialize())).isPresent()) {
                throw new IllegalArgumentException("auth.jwt.private.key signs tokens that no verification key accepts;"
                        + " put its public key in auth.jwt.public.key or auth.jwt.jwks");
            }
        } catch (JOSEException | ParseException e) {
            throw new IllegalArgumentException("auth.jwt.private.key cannot sign: " + e.getMessage(), e);
        }
    }

    public AuthConfig config() {
        return config;
    }

    public JwtKeys keys() {
        return keys;
    }
}
