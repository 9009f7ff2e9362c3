package io.squall.server.ws;

import java.util.Locale;

/**
 * A browser origin as RFC 6454 serializes it: {@code scheme "://" host [":" port]}, nothing else. Parsing is strict
 * on purpose: an {@code Origin} header with a path, a trailing slash, user info, a query or a fragment was not sent
 * by a browser, and lenient parsers are how {@code https://evil.com/.example.org} once passed for a subdomain of
 * {@code example.org}. Scheme and host compare case-insensitively (they are kept in lower case) and the default port
 * of {@code http}/{@code ws} (80) and {@code https}/{@code wss} (443) is the same as none.
 *
 * @param scheme lower case, e.g. {@code https}
 * @param host lower case: a DNS name (IDNs in their ASCII {@code xn--} form, as browsers send them), an IPv4
 *     address, or an IPv6 address in brackets
 * @param port the port, or -1 for the scheme's default (also when that default was written out)
 */
public record Origin(String scheme, String host, int port) {

    /** Parses an {@code Origin} header value or an {@code allowed.origins} entry; throws with the reason. */
    public static Origin parse(String text) {
        int colon = text.indexOf("://");
        if (colon <= 0) {
            throw new IllegalArgumentException("not scheme://host[:port]");
        }
        String scheme = scheme(text.substring(0, colon));
        String rest = text.substring(colon + 3);
        for (char c : new char[] {'/', '?', '#', '@', '\\'}) {
            if (rest.indexOf(c) >= 0) {
                throw new IllegalArgumentException(switch (c) {
                    case '/' -> "an origin has no path, not even a trailing '/'";
                    case '?' -> "an origin has no query";
                    case '#' -> "an origin has no fragment";
                    case '@' -> "an origin has no user info";
                    default -> "'\\' is not allowed";
                });
            }
        }
        return hostAndPort(scheme, rest);
    }

    /**
     * The origin of an absolute {@code http(s)} URL such as {@code public.url}: a path (a base URL behind a proxy) is
     * allowed and ignored, user info, a query and a fragment are not.
     */
    public static Origin ofUrl(String url) {
        int colon = url.indexOf("://");
        if (colon <= 0) {
            throw new IllegalArgumentException("not an absolute URL like https://broker.example.com");
        }
        String scheme = scheme(url.substring(0, colon));
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("the scheme must be http or https (the page's, not ws/wss)");
        }
        String rest = url.substring(colon + 3);
        if (rest.indexOf('?') >= 0 || rest.indexOf('#') >= 0 || rest.indexOf('@') >= 0 || rest.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("a base URL has no user info, query or fragment");
        }
        int slash = rest.indexOf('/');
        return hostAndPort(scheme, slash < 0 ? rest : rest.substring(0, slash));
    }

    /** The RFC 6454 serialization, lower case, without a default port: {@code https://app.example.com}. */
    public String serialized() {
        return scheme + "://" + host + (port < 0 ? "" : ":" + port);
    }

    @Override
    public String toString() {
        return serialized();
    }

    private static String scheme(String scheme) {
        String lower = scheme.toLowerCase(Locale.ROOT);
        if (!Character.isLetter(lower.charAt(0)) || !lower.chars().allMatch(c -> c >= 'a' && c <= 'z'
                || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
            throw new IllegalArgumentException("'" + scheme + "' is not a URL scheme");
        }
        return lower;
    }

    private static Origin hostAndPort(String scheme, String authority) {
        String host;
        String port = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("an IPv6 host lacks its ']'");
            }
            host = ipv6(authority.substring(0, close + 1));
            String after = authority.substring(close + 1);
            if (!after.isEmpty()) {
                if (after.charAt(0) != ':') {
                    throw new IllegalArgumentException("text after the IPv6 host");
                }
                port = after.substring(1);
            }
        } else {
            int colon = authority.indexOf(':');
            host = dnsNameOrIpv4(colon < 0 ? authority : authority.substring(0, colon));
            port = colon < 0 ? null : authority.substring(colon + 1);
        }
        int number = port == null ? -1 : port(port);
        return new Origin(scheme, host, number == defaultPort(scheme) ? -1 : number);
    }

    private static String dnsNameOrIpv4(String host) {
        if (host.isEmpty()) {
            throw new IllegalArgumentException("no host");
        }
        if (host.length() > 253) {
            throw new IllegalArgumentException("host longer than 253 characters");
        }
        String lower = host.toLowerCase(Locale.ROOT);
        for (String label : lower.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")
                    || !label.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                throw new IllegalArgumentException("'" + host + "' is not a host name (letters, digits, '-' and"
                        + " '.' between non-empty labels; IDNs in xn-- form)");
            }
        }
        return lower;
    }

    private static String ipv6(String bracketed) {
        String inner = bracketed.substring(1, bracketed.length() - 1).toLowerCase(Locale.ROOT);
        if (inner.isEmpty() || inner.indexOf(':') < 0 || !inner.chars().allMatch(c -> c >= '0' && c <= '9'
                || c >= 'a' && c <= 'f' || c == ':' || c == '.')) {
            throw new IllegalArgumentException("'" + bracketed + "' is not an IPv6 address");
        }
        return "[" + inner + "]";
    }

    private static int port(String port) {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("the port must be 1-65535");
        }
        int number = Integer.parseInt(port);
        if (number < 1 || number > 65_535) {
            throw new IllegalArgumentException("the port must be 1-65535");
        }
        return number;
    }

    private static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http", "ws" -> 80;
            case "https", "wss" -> 443;
            default -> -2; // no default: an explicit port is kept as given
        };
    }
}
