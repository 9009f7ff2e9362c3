package io.squall.server.ws;

import io.squall.core.error.HttpRefusal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * Which browser origins may open a WebSocket on the public port (Snorky accepted every origin, which allows
 * cross-site WebSocket hijacking). Allowed: the broker's own origin, and those listed in {@code allowed.origins},
 * exactly ({@code https://app.example.com}), by subdomain wildcard ({@code https://*.example.com}), all well-formed
 * ones ({@code *}), or the opaque origin {@code null} (sandboxed frames, {@code file:} pages) when listed by name.
 *
 * <p>The own origin is {@code public.url} when it is set; otherwise {@code http://localhost}, {@code 127.0.0.1} or
 * {@code [::1]} on the public port. It is never taken from the request's {@code Host} header: a page on a name an
 * attacker controls that resolves to the broker (DNS rebinding) sends a {@code Host} equal to its own origin.
 */
public final class OriginPolicy {
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

    /** A handshake's outcome, with the text of its 403. */
    public enum Verdict {
        ALLOWED(null),
        MISSING(HttpRefusal.ORIGIN_MISSING),
        MALFORMED(HttpRefusal.ORIGIN_MALFORMED),
        NOT_ALLOWED(HttpRefusal.ORIGIN_NOT_ALLOWED);

        private final HttpRefusal refusal;

        Verdict(HttpRefusal refusal) {
            this.refusal = refusal;
        }

        /** The 403; null for {@link #ALLOWED}. */
        public HttpRefusal refusal() {
            return refusal;
        }

        public String message() {
            return refusal == null ? null : refusal.body();
        }
    }

    private final boolean any;
    private final boolean opaque;
    private final Set<Origin> exact;
    private final List<Origin> wildcards; // host = the suffix after "*."
    private final boolean allowMissing;
    private final Optional<Origin> publicOrigin;
    private final IntSupplier publicPort;

    /**
     * @param allowed the {@code allowed.origins} entries; a malformed one throws (see {@link #validate})
     * @param publicUrl {@code public.url}, the own origin, when set
     * @param publicPort the public listener's bound port, for the loopback own origins when {@code publicUrl} is unset
     */
    public OriginPolicy(List<String> allowed, boolean allowMissing, Optional<String> publicUrl, IntSupplier publicPort) {
        boolean anyOrigin = false;
        boolean nullOrigin = false;
        Set<Origin> exactOrigins = new HashSet<>();
        List<Origin> wildcardOrigins = new ArrayList<>();
        for (String entry : allowed) {
            String trimmed = entry.trim();
            if (trimmed.equals("*")) {
                anyOrigin = true;
            } else if (trimmed.toLowerCase(Locale.ROOT).equals("null")) {
                nullOrigin = true;
            } else if (trimmed.contains("://*.")) {
                wildcardOrigins.add(entry(trimmed.replaceFirst("://\\*\\.", "://"), entry));
            } else {
                exactOrigins.add(entry(trimmed, entry));
            }
        }
        this.any = anyOrigin;
        this.opaque = nullOrigin;
        this.exact = Set.copyOf(exactOrigins);
        this.wildcards = List.copyOf(wildcardOrigins);
        this.allowMissing = allowMissing;
        this.publicOrigin = publicUrl.map(Origin::ofUrl);
        this.publicPort = publicPort;
    }

    /** Throws, naming the first bad entry and why, unless every entry of {@code allowed} can be read. */
    public static void validate(List<String> allowed) {
        new OriginPolicy(allowed, true, Optional.empty(), () -> 0);
    }

    /**
     * @param origins every {@code Origin} header of the request (none, or more than one, are answered as such)
     */
    public Verdict check(List<String> origins) {
        if (origins == null || origins.isEmpty()) {
            return allowMissing ? Verdict.ALLOWED : Verdict.MISSING;
        }
        if (origins.size() > 1) {
            return Verdict.MALFORMED;
        }
        String header = origins.get(0);
        if (header.equals("null")) {
            return opaque ? Verdict.ALLOWED : Verdict.NOT_ALLOWED;
        }
        Origin origin;
        try {
            origin = Origin.parse(header);
        } catch (IllegalArgumentException e) {
            return Verdict.MALFORMED;
        }
        return any || own(origin) || exact.contains(origin) || wildcardMatch(origin)
                ? Verdict.ALLOWED : Verdict.NOT_ALLOWED;
    }

    private boolean own(Origin origin) {
        if (publicOrigin.isPresent()) {
            return publicOrigin.get().equals(origin);
        }
        int port = publicPort.getAsInt();
        return origin.scheme().equals("http") && LOOPBACK.contains(origin.host())
                && origin.port() == (port == 80 ? -1 : port);
    }

    private boolean wildcardMatch(Origin origin) {
        for (Origin pattern : wildcards) {
            if (pattern.scheme().equals(origin.scheme()) && pattern.port() == origin.port()
                    && origin.host().endsWith("." + pattern.host())) {
                return true;
            }
        }
        return false;
    }

    private static Origin entry(String origin, String entry) {
        try {
            return Origin.parse(origin);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + entry.trim() + "' is not an origin (scheme://host[:port],"
                    + " https://*.example.com, * or null): " + e.getMessage(), e);
        }
    }
}
