package io.squall.server.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Who may connect to the public port, and how tokens are checked and minted (docs/security.md).
 *
 * @param anonymous whether connections without a token are accepted; empty means "auto": yes unless a token key
 *     is configured
 * @param jwtSecret shared HMAC secret (HS256/384/512), at least 32 bytes; verifies and mints tokens
 * @param jwtPublicKey PEM file with an RSA or EC public key (RS*, PS*, ES* tokens)
 * @param jwtJwks JSON Web Key Set file with public keys, chosen by {@code kid}
 * @param jwtPrivateKey PEM (PKCS#8) RSA or EC private key used to mint tokens when there is no secret
 * @param issuer required {@code iss}, when set (minted tokens carry it)
 * @param audience required {@code aud}, when set (minted tokens carry it)
 * @param leeway clock skew allowed on {@code exp} and {@code nbf}
 * @param identityClaim the claim whose value is the connection's identity
 * @param tokenTtl lifetime of a minted token when the backend gives none
 * @param tokenMaxTtl the longest lifetime a backend may ask for
 * @param backendService name of the private service that mints tokens and disconnects users
 */
public record AuthConfig(
        Optional<Boolean> anonymous,
        Optional<String> jwtSecret,
        Optional<Path> jwtPublicKey,
        Optional<Path> jwtJwks,
        Optional<Path> jwtPrivateKey,
        Optional<String> issuer,
        Optional<String> audience,
        Duration leeway,
        String identityClaim,
        Duration tokenTtl,
        Duration tokenMaxTtl,
        String backendService) {

    /** RFC 7518 3.2: an HS256 key must be at least as long as the hash, 256 bits. */
    public static final int MIN_SECRET_BYTES = 32;
    /** Registered claims that say something about the token, never who holds it. */
    private static final Set<String> NOT_IDENTITIES = Set.of("iss", "aud", "exp", "nbf", "iat", "jti");

    public AuthConfig {
        jwtSecret.ifPresent(secret -> {
            int bytes = secret.getBytes(StandardCharsets.UTF_8).length;
            if (bytes < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("auth.jwt.secret must be at least " + MIN_SECRET_BYTES
                        + " bytes (256 bits, as HS256 requires), was " + bytes
                        + "; generate one with: openssl rand -base64 48");
            }
        });
        if (anonymous.equals(Optional.of(false)) && !verifiesTokens(jwtSecret, jwtPublicKey, jwtJwks)) {
            throw new IllegalArgumentException("auth.anonymous=false needs a token key (auth.jwt.secret, "
                    + "auth.jwt.public.key or auth.jwt.jwks): otherwise no client could ever connect");
        }
        if (leeway.isNegative()) {
            throw new IllegalArgumentException("auth.jwt.leeway must not be negative, was " + leeway);
        }
        if (identityClaim.isBlank() || NOT_IDENTITIES.contains(identityClaim)) {
            throw new IllegalArgumentException("auth.identity.claim must name a claim that identifies the user "
                    + "(e.g. sub, email, user), was '" + identityClaim + "'");
        }
        if (tokenTtl.isNegative() || tokenTtl.isZero() || tokenMaxTtl.isNegative() || tokenMaxTtl.isZero()) {
            throw new IllegalArgumentException("auth.token.ttl and auth.token.max.ttl must be positive");
        }
        if (tokenTtl.compareTo(tokenMaxTtl) > 0) {
            throw new IllegalArgumentException("auth.token.ttl (" + tokenTtl + ") must not exceed auth.token.max.ttl ("
                    + tokenMaxTtl + ")");
        }
        if (backendService.isBlank()) {
            throw new IllegalArgumentException("auth.backend.service must not be blank");
        }
    }

    /** Whether any key to verify tokens is configured. */
    public boolean verifiesTokens() {
        return verifiesTokens(jwtSecret, jwtPublicKey, jwtJwks);
    }

    /** Whether a connection without a token is accepted: as configured, or by default only when no key is set. */
    public boolean allowsAnonymous() {
        return anonymous.orElse(!verifiesTokens());
    }

    private static boolean verifiesTokens(Optional<String> secret, Optional<Path> publicKey, Optional<Path> jwks) {
        return secret.isPresent() || publicKey.isPresent() || jwks.isPresent();
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "AuthConfig[anonymous=" + anonymous.map(String::valueOf).orElse("auto")
                + ", jwtSecret=" + jwtSecret.map(s -> "(set)").orElse("(none)")
                + ", jwtPublicKey=" + jwtPublicKey + ", jwtJwks=" + jwtJwks + ", jwtPrivateKey=" + jwtPrivateKey
                + ", issuer=" + issuer + ", audience=" + audience + ", leeway=" + leeway
                + ", identityClaim=" + identityClaim + ", tokenTtl=" + tokenTtl + ", tokenMaxTtl=" + tokenMaxTtl
                + ", backendService=" + backendService + "]";
    }
}
