package io.squall.server.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The console's logins: each a random 256-bit session id, handed to the browser in a cookie and kept here only as
 * its SHA-256 (a heap dump or a log of this map gives no usable cookie), with an expiry. At most {@code max} at
 * once: a login past it ends the oldest. Any thread (HTTP handlers run on IO threads, the console service on the
 * loop); reads never lock.
 */
final class ConsoleSessions {
    /** One login. {@code handle} names it to the console's WebSocket connections (not a secret: a digest prefix). */
    record Session(String handle, long createdNanos, long expiresNanos) {}

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> byDigest = new ConcurrentHashMap<>();
    private final Map<String, String> digestByHandle = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final int max;
    private final LongSupplier nanoTime;

    ConsoleSessions(Duration ttl, int max, LongSupplier nanoTime) {
        this.ttlNanos = ttl.toNanos();
        this.max = max;
        this.nanoTime = nanoTime;
    }

    /** A new login: returns the session id for the cookie (43 base64url characters). */
    synchronized String create() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String digest = digest(id);
        long now = nanoTime.getAsLong();
        dropExpired(now);
        while (byDigest.size() >= max) {
            byDigest.entrySet().stream()
                    .min((a, b) -> Long.compare(a.getValue().createdNanos(), b.getValue().createdNanos()))
                    .ifPresent(oldest -> remove(oldest.getKey()));
        }
        Session session = new Session(digest.substring(0, 16), now, now + ttlNanos);
        byDigest.put(digest, session);
        digestByHandle.put(session.handle(), digest);
        return id;
    }

    /** The live session a cookie's id names, if any. */
    Optional<Session> find(String id) {
        if (id == null || id.length() != 43) {
            return Optional.empty();
        }
        Session session = byDigest.get(digest(id));
        if (session == null || nanoTime.getAsLong() - session.expiresNanos() >= 0) {
            return Optional.empty();
        }
        return Optional.of(session);
    }

    /** Whether the login {@code handle} names is still on (not logged out, expired or pushed out). */
    boolean isLive(String handle) {
        String digest = digestByHandle.get(handle);
        Session session = digest == null ? null : byDigest.get(digest);
        return session != null && nanoTime.getAsLong() - session.expiresNanos() < 0;
    }

    /** Logs out the session {@code id} names; an unknown id does nothing. */
    synchronized void end(String id) {
        if (id != null) {
            remove(digest(id));
        }
    }

    int size() {
        return byDigest.size();
    }

    private void dropExpired(long now) {
        byDigest.entrySet().removeIf(entry -> {
            boolean expired = now - entry.getValue().expiresNanos() >= 0;
            if (expired) {
                digestByHandle.remove(entry.getValue().handle());
            }
            return expired;
        });
    }

    private void remove(String digest) {
        Session removed = byDigest.remove(digest);
        if (removed != null) {
            digestByHandle.remove(removed.handle());
        }
    }

    static String digest(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }
}
