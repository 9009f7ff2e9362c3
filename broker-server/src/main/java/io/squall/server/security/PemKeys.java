package io.squall.server.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM keys with the JDK alone: {@code PUBLIC KEY} (X.509 SubjectPublicKeyInfo, what {@code openssl pkey -pubout}
 * writes) and {@code PRIVATE KEY} (PKCS#8), each RSA or EC. The older {@code RSA PRIVATE KEY} and
 * {@code EC PRIVATE KEY} forms are refused with the command that converts them.
 */
final class PemKeys {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");
    private static final String[] ALGORITHMS = {"RSA", "EC"};

    private PemKeys() {}

    static PublicKey readPublic(Path file, String key) {
        byte[] der = block(file, key, "PUBLIC KEY");
        for (String algorithm : ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm; try the next
            }
        }
        throw new IllegalArgumentException(key + ": " + file + " holds neither an RSA nor an EC public key");
    }

    static PrivateKey readPrivate(Path file, String key) {
        byte[] der = block(file, key, "PRIVATE KEY");
        for (String algorithm : ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm; try the next
            }
        }
        throw new IllegalArgumentException(key + ": " + file + " holds neither an RSA nor an EC private key");
    }

    private static byte[] block(Path file, String key, String type) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException(key + ": cannot read " + file + ": " + e, e);
        }
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                try {
                    return Base64.getMimeDecoder().decode(m.group(2));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(key + ": " + file + " has a malformed " + type + " block", e);
                }
            }
            if (m.group(1).equals("RSA PRIVATE KEY") || m.group(1).equals("EC PRIVATE KEY")) {
                throw new IllegalArgumentException(key + ": " + file + " is a '" + m.group(1) + "'; convert it to "
                        + "PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in " + file.getFileName() + " -out key.pem");
            }
        }
        throw new IllegalArgumentException(key + ": " + file + " has no '-----BEGIN " + type + "-----' block");
    }
}
