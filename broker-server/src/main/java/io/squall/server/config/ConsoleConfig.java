package io.squall.server.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The web console on the private port ({@code console.*} keys); absent while it is off.
 *
 * @param password the console's own password, or empty: the backend key is the password
 * @param sessionTtl how long a login lasts
 * @param maxSessions logins held at once (a new one past it ends the oldest)
 * @param secureCookie whether the session cookie is marked {@code Secure} (browsers reach the port over HTTPS)
 */
public record ConsoleConfig(Optional<String> password, Duration sessionTtl, int maxSessions, boolean secureCookie) {
    /** Shorter is refused at start: the login is rate limited, but the password is all that guards the console. */
    static final int MIN_PASSWORD_CHARS = 16;

    public ConsoleConfig {
        password.ifPresent(value -> {
            if (value.length() < MIN_PASSWORD_CHARS) {
                throw new IllegalArgumentException(Setting.CONSOLE_PASSWORD.key() + " must be at least "
                        + MIN_PASSWORD_CHARS + " characters");
            }
        });
        if (sessionTtl.isNegative() || sessionTtl.isZero()) {
            throw new IllegalArgumentException(Setting.CONSOLE_SESSION_TTL.key() + " must be positive, was "
                    + sessionTtl);
        }
        if (maxSessions < 1) {
            throw new IllegalArgumentException(Setting.CONSOLE_MAX_SESSIONS.key() + " must be at least 1, was "
                    + maxSessions);
        }
    }

    /** On when {@code console.password} is set or {@code console.enabled} is true. */
    static Optional<ConsoleConfig> read(Map<Setting, String> v) {
        String password = ConfigLoader.text(Setting.CONSOLE_PASSWORD, v);
        boolean enabled = ConfigLoader.bool(Setting.CONSOLE_ENABLED, v);
        Duration ttl = ConfigLoader.duration(Setting.CONSOLE_SESSION_TTL, v);
        int max = ConfigLoader.integer(Setting.CONSOLE_MAX_SESSIONS, v);
        boolean secure = ConfigLoader.bool(Setting.CONSOLE_SECURE_COOKIE, v);
        if (password.isEmpty() && !enabled) {
            return Optional.empty();
        }
        return Optional.of(new ConsoleConfig(Optional.of(password).filter(p -> !p.isEmpty()), ttl, max, secure));
    }
}
