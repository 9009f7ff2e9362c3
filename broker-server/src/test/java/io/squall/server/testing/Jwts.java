package io.squall.server.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.function.Consumer;

/**
 * Test keys and tokens, made fresh in each test run (no private key is committed): HMAC secrets, RSA and EC key
 * pairs written as PEM or JWKS files, and tokens signed with any of them.
 */
public final class Jwts {
    /** 40 bytes: long enough for HS256. */
    public static final String SECRET = "test-only-hs256-secret-0123456789abcdefgh";

    private Jwts() {}

    public static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair ec(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code PUBLIC KEY} (X.509) PEM. */
    public static Path writePublicPem(Path file, KeyPair keys) {
        return writePem(file, "PUBLIC KEY", keys.getPublic().getEncoded());
    }

    /** Writes {@code PRIVATE KEY} (PKCS#8) PEM. */
    public static Path writePrivatePem(Path file, KeyPair keys) {
        return writePem(file, "PRIVATE KEY", keys.getPrivate().getEncoded());
    }

    public static Path writePem(Path file, String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return write(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
    }

    /** Writes a JWKS with the public half of an EC P-256 key under {@code kid}. */
    public static Path writeEcJwks(Path file, KeyPair keys, String kid) {
        ECKey jwk = new ECKey.Builder(Curve.P_256, (ECPublicKey) keys.getPublic()).keyID(kid).build();
        return write(file, new JWKSet(jwk).toString(true));
    }

    public static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Claims with {@code sub} and an expiry {@code seconds} from {@code now}. */
    public static JWTClaimsSet.Builder claims(String subject, Instant now, long seconds) {
        return new JWTClaimsSet.Builder().subject(subject).expirationTime(Date.from(now.plusSeconds(seconds)));
    }

    public static String hs256(String secret, JWTClaimsSet claims) {
        try {
            return sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)), new JWSHeader(JWSAlgorithm.HS256), claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String rs256(KeyPair keys, JWTClaimsSet claims) {
        return sign(new RSASSASigner((RSAPrivateKey) keys.getPrivate()), new JWSHeader(JWSAlgorithm.RS256), claims);
    }

    public static String es256(KeyPair keys, String kid, JWTClaimsSet claims) {
        try {
            return sign(new ECDSASigner((ECPrivateKey) keys.getPrivate()),
                    new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).build(), claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sign(JWSSigner signer, JWSHeader header, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** An unsigned token ({@code alg: none}), which must always be refused. */
    public static String unsigned(JWTClaimsSet claims) {
        return new com.nimbusds.jwt.PlainJWT(claims).serialize();
    }

    /** The RSA public key as an RSA JWK, for "HS256 signed with the public key" confusion attacks. */
    public static RSAKey rsaJwk(KeyPair keys) {
        return new RSAKey.Builder((RSAPublicKey) keys.getPublic()).build();
    }

    /** Applies {@code change} to a fresh claims builder. */
    public static JWTClaimsSet with(JWTClaimsSet.Builder claims, Consumer<JWTClaimsSet.Builder> change) {
        change.accept(claims);
        return claims.build();
    }
}
