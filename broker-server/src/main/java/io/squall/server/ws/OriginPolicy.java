package io.squall.server.ws;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * Which browser origins may open a WebSocket on the public port (Snorky accepted every origin, which allows
 * cross-site WebSocket hijacking). The broker's own origin is always allowed; others must be listed, exactly
 * ({@code https://app.example.com}), by subdomain wildcard ({@code https://*.example.com}), or all ({@code *}).
 */
public final class OriginPolicy {
    private final List<String> allowed;
    private final boolean allowMissing;

    public OriginPolicy(List<String> allowed, boolean allowMissing) {
        this.allowed = allowed.stream().map(OriginPolicy::normalize).toList();
        this.allowMissing = allowMissing;
    }

    /**
     * @param origin the Origin header, or null when absent
     * @param host the Host header of the same request (for the same-origin rule), or null
     */
    public boolean allows(String origin, String host) {
        if (origin == null) {
            return allowMissing;
        }
        String normalized = normalize(origin);
        if (host != null && sameHost(normalized, host)) {
            return true;
        }
        for (String pattern : allowed) {
            if (pattern.equals("*") || pattern.equals(normalized) || wildcardMatch(pattern, normalized)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameHost(String origin, String host) {
        URI uri = parse(origin);
        if (uri == null || uri.getHost() == null) {
            return false;
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : defaultPort(uri.getScheme());
        return (uri.getHost() + ":" + port).equals(withPort(host.toLowerCase(Locale.ROOT), defaultPort(uri.getScheme())));
    }

    private static boolean wildcardMatch(String pattern, String origin) {
        int star = pattern.indexOf("://*.");
        if (star < 0) {
            return false;
        }
        String scheme = pattern.substring(0, star);
        String suffix = pattern.substring(star + 4); // ".example.com[:port]"
        return origin.startsWith(scheme + "://") && origin.endsWith(suffix)
                && origin.length() > scheme.length() + 3 + suffix.length()
                && origin.substring(scheme.length() + 3, origin.length() - suffix.length()).indexOf(':') < 0;
    }

    private static String withPort(String host, int defaultPort) {
        return host.lastIndexOf(':') > host.lastIndexOf(']') ? host : host + ":" + defaultPort;
    }

    private static int defaultPort(String scheme) {
        return "https".equals(scheme) || "wss".equals(scheme) ? 443 : 80;
    }

    private static URI parse(String origin) {
        try {
            return new URI(origin);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String normalize(String origin) {
        String lower = origin.trim().toLowerCase(Locale.ROOT);
        return lower.endsWith("/") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
