package io.squall.server.hooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs every call Squall makes to the application (proxies and webhooks), so that the application can trust it:
 * {@value #HEADER}{@code : sha256=<hex>}, the HMAC-SHA256 of the exact body bytes under {@code hooks.secret}. The
 * application recomputes it over the raw body and compares in constant time. Thread-safe (a {@link Mac} per call).
 */
public final class HookSignature {
    public static final String HEADER = "X-Squall-Signature";
    private static final String ALGORITHM = "HmacSHA256";
    /** Shorter secrets are refused at start: the signature is all that tells the application a call is Squall's. */
    public static final int MIN_SECRET_CHARS = 16;

    private final SecretKeySpec key;

    public HookSignature(String secret) {
        if (secret.length() < MIN_SECRET_CHARS) {
            throw new IllegalArgumentException("hooks.secret must be at least " + MIN_SECRET_CHARS + " characters");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** The header's value for {@code body}: {@code sha256=} and the lower-case hex HMAC. */
    public String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
