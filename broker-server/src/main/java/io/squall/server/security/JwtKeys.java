package io.squall.server.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import io.squall.server.config.AuthConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The keys of {@link AuthConfig}, loaded once at start: the verification keys (secret, PEM public key, JWKS file)
 * with the algorithms each one allows, and the signer for minted tokens (the secret, else the private key). Every
 * problem is an {@link IllegalArgumentException} naming the configuration key.
 *
 * @param verification the keys tokens may be signed with
 * @param algorithms the algorithms those keys allow; any other {@code alg} (and {@code none}) is refused
 * @param signer what signs minted tokens, if anything can
 */
public record JwtKeys(List<JWK> verification, Set<JWSAlgorithm> algorithms, Optional<Signer> signer) {
    static final int MIN_RSA_BITS = 2048;

    /** A signing key and the algorithm it signs with. */
    public record Signer(JWSSigner signer, JWSAlgorithm algorithm) {}

    /** The curves and algorithms of the ES family. */
    private enum EcAlgorithm {
        ES256(Curve.P_256, JWSAlgorithm.ES256),
        ES384(Curve.P_384, JWSAlgorithm.ES384),
        ES512(Curve.P_521, JWSAlgorithm.ES512);

        final Curve curve;
        final JWSAlgorithm algorithm;

        EcAlgorithm(Curve curve, JWSAlgorithm algorithm) {
            this.curve = curve;
            this.algorithm = algorithm;
        }

        static Optional<JWSAlgorithm> of(Curve curve) {
            for (EcAlgorithm ec : values()) {
                if (ec.curve.equals(curve)) {
                    return Optional.of(ec.algorithm);
                }
            }
            return Optional.empty();
        }
    }

    public static JwtKeys load(AuthConfig config) {
        List<JWK> keys = new ArrayList<>();
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        config.jwtSecret().ifPresent(secret -> {
            byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
            keys.add(new OctetSequenceKey.Builder(bytes).keyUse(KeyUse.SIGNATURE).build());
            algorithms.add(JWSAlgorithm.HS256);
            if (bytes.length >= 48) {
                algorithms.add(JWSAlgorithm.HS384);
            }
            if (bytes.length >= 64) {
                algorithms.add(JWSAlgorithm.HS512);
            }
        });
        config.jwtPublicKey().ifPresent(file -> {
            JWK key = publicJwk(PemKeys.readPublic(file, "auth.jwt.public.key"), "auth.jwt.public.key " + file);
            keys.add(key);
            algorithms.addAll(algorithmsOf(key, "auth.jwt.public.key " + file));
        });
        config.jwtJwks().ifPresent(file -> {
            for (JWK key : readJwks(file)) {
                keys.add(key);
                algorithms.addAll(algorithmsOf(key, "auth.jwt.jwks " + file + " key " + key.getKeyID()));
            }
        });
        return new JwtKeys(List.copyOf(keys), Set.copyOf(algorithms), signer(config));
    }

    private static List<JWK> readJwks(Path file) {
        JWKSet set;
        try {
            set = JWKSet.load(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("auth.jwt.jwks: cannot read " + file + ": " + e, e);
        } catch (ParseException e) {
            throw new IllegalArgumentException("auth.jwt.jwks: " + file + " is not a JWK Set: " + e.getMessage(), e);
        }
        List<JWK> keys = new ArrayList<>();
        for (JWK key : set.getKeys()) {
            if (KeyUse.ENCRYPTION.equals(key.getKeyUse())) {
                continue; // encryption keys in a shared set are not ours to use
            }
            if (!(key instanceof RSAKey) && !(key instanceof ECKey)) {
                throw new IllegalArgumentException("auth.jwt.jwks: " + file + " key " + key.getKeyID() + " is "
                        + key.getKeyType() + "; only RSA and EC public keys are supported");
            }
            if (key.isPrivate()) {
                throw new IllegalArgumentException("auth.jwt.jwks: " + file + " key " + key.getKeyID()
                        + " includes private material; publish only public keys (auth.jwt.private.key signs)");
            }
            keys.add(key);
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("auth.jwt.jwks: " + file + " has no signature key");
        }
        return keys;
    }

    private static JWK publicJwk(PublicKey key, String where) {
        if (key instanceof RSAPublicKey rsa) {
            return new RSAKey.Builder(rsa).keyUse(KeyUse.SIGNATURE).build();
        }
        ECPublicKey ec = (ECPublicKey) key;
        Curve curve = Curve.forECParameterSpec(ec.getParams());
        if (curve == null) {
            throw new IllegalArgumentException(where + ": unsupported EC curve (use P-256, P-384 or P-521)");
        }
        return new ECKey.Builder(curve, ec).keyUse(KeyUse.SIGNATURE).build();
    }

    private static Set<JWSAlgorithm> algorithmsOf(JWK key, String where) {
        Set<JWSAlgorithm> allowed;
        if (key instanceof RSAKey rsa) {
            if (rsa.size() < MIN_RSA_BITS) {
                throw new IllegalArgumentException(where + ": RSA key of " + rsa.size() + " bits; at least "
                        + MIN_RSA_BITS + " are required");
            }
            allowed = new LinkedHashSet<>(List.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
                    JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512));
        } else {
            Curve curve = ((ECKey) key).getCurve();
            allowed = new LinkedHashSet<>(EcAlgorithm.of(curve).map(Set::of).orElseThrow(() ->
                    new IllegalArgumentException(where + ": unsupported EC curve " + curve
                            + " (use P-256, P-384 or P-521)")));
        }
        if (key.getAlgorithm() != null) {
            // a key that names its algorithm is used for that one only
            allowed.retainAll(Set.of(JWSAlgorithm.parse(key.getAlgorithm().getName())));
            if (allowed.isEmpty()) {
                throw new IllegalArgumentException(where + ": its alg " + key.getAlgorithm()
                        + " does not fit its key type");
            }
        }
        return allowed;
    }

    private static Optional<Signer> signer(AuthConfig config) {
        try {
            if (config.jwtSecret().isPresent()) {
                return Optional.of(new Signer(new MACSigner(config.jwtSecret().get().getBytes(StandardCharsets.UTF_8)),
                        JWSAlgorithm.HS256));
            }
            if (config.jwtPrivateKey().isPresent()) {
                Path file = config.jwtPrivateKey().get();
                PrivateKey key = PemKeys.readPrivate(file, "auth.jwt.private.key");
                if (key instanceof RSAPrivateKey rsa) {
                    if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
                        throw new IllegalArgumentException("auth.jwt.private.key " + file + ": RSA key of "
                                + rsa.getModulus().bitLength() + " bits; at least " + MIN_RSA_BITS + " are required");
                    }
                    return Optional.of(new Signer(new RSASSASigner(rsa), JWSAlgorithm.RS256));
                }
                ECPrivateKey ec = (ECPrivateKey) key;
                Curve curve = Curve.forECParameterSpec(ec.getParams());
                JWSAlgorithm algorithm = curve == null ? null : EcAlgorithm.of(curve).orElse(null);
                if (algorithm == null) {
                    throw new IllegalArgumentException("auth.jwt.private.key " + file
                            + ": unsupported EC curve (use P-256, P-384 or P-521)");
                }
                return Optional.of(new Signer(new ECDSASigner(ec), algorithm));
            }
            return Optional.empty();
        } catch (JOSEException e) {
            throw new IllegalArgumentException("auth.jwt: cannot make a token signer: " + e.getMessage(), e);
        }
    }
}
