package io.squall.server.http;

import io.squall.core.error.HttpRefusal;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Checks the {@code X-Backend-Key} header in constant time (digests first, so not even the length leaks). */
public final class ApiKeyCheck {
    public static final HttpString HEADER = new HttpString("X-Backend-Key");

    /** Outcome, with Snorky's 401 texts. */
    public enum Result {
        OK(null),
        MISSING(HttpRefusal.MISSING_KEY),
        INVALID(HttpRefusal.INVALID_KEY);

        private final HttpRefusal refusal;

        Result(HttpRefusal refusal) {
            this.refusal = refusal;
        }

        /** The 401 to answer; null for {@link #OK}. */
        public HttpRefusal refusal() {
            return refusal;
        }
    }

    private final byte[] expectedDigest;

    /** A random key (256 bits, URL-safe) for a run that configured none. */
    public static String generateKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public ApiKeyCheck(String key) {
        this.expectedDigest = sha256(key);
    }

    public Result check(HttpServerExchange exchange) {
        String presented = exchange.getRequestHeaders().getFirst(HEADER);
        if (presented == null) {
            return Result.MISSING;
        }
        return MessageDigest.isEqual(expectedDigest, sha256(presented)) ? Result.OK : Result.INVALID;
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }
}
