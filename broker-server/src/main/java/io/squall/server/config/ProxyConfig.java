package io.squall.server.config;

import io.squall.core.service.pubsub.ChannelPattern;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The application's proxies ({@code proxy.*} keys, and {@code hooks.secret} that signs their calls); each is off
 * while its URL is empty. See docs/hooks-proxies.md.
 *
 * @param secret signs every call; present whenever a proxy is on
 * @param connect asked for connections without a token (or every one, with {@code connectAlways})
 * @param connectAlways whether connections with a token are sent to the connect proxy too
 * @param refresh asked to extend identities that expire
 * @param subscribe asked before subscribe-like commands on {@code subscribeChannels}
 * @param subscribeChannels the channels the subscribe proxy decides; empty: all
 * @param publish asked before a client's publish on {@code publishChannels}
 * @param publishChannels the channels the publish proxy decides; empty: all
 * @param rpc where the commands of {@code rpcService} go
 * @param rpcService name of the public service forwarded to the rpc proxy
 * @param maxConcurrency calls in flight per proxy
 * @param breakerFailures consecutive failures that open a proxy's breaker
 * @param breakerCooldown how long an open breaker refuses before it lets a probe through
 * @param headers handshake headers passed through (lower case)
 */
public record ProxyConfig(Optional<String> secret, Optional<Endpoint> connect, boolean connectAlways,
        Optional<Endpoint> refresh, Optional<Endpoint> subscribe, List<ChannelPattern> subscribeChannels,
        Optional<Endpoint> publish, List<ChannelPattern> publishChannels, Optional<Endpoint> rpc, String rpcService,
        int maxConcurrency, int breakerFailures, Duration breakerCooldown, List<String> headers) {

    /** Shorter is refused at start: the signature is all that tells the application a call is Squall's. */
    static final int MIN_SECRET_CHARS = 16;

    /** One proxy's address and deadline. */
    public record Endpoint(URI url, Duration timeout) {}

    public ProxyConfig {
        subscribeChannels = List.copyOf(subscribeChannels);
        publishChannels = List.copyOf(publishChannels);
        headers = List.copyOf(headers);
    }

    /** Whether any proxy is on. */
    public boolean any() {
        return connect.isPresent() || refresh.isPresent() || subscribe.isPresent() || publish.isPresent()
                || rpc.isPresent();
    }

    private static String configured(Map<Setting, String> v) {
        return String.join(", ", List.of(Setting.PROXY_CONNECT_URL, Setting.PROXY_REFRESH_URL,
                        Setting.PROXY_SUBSCRIBE_URL, Setting.PROXY_PUBLISH_URL, Setting.PROXY_RPC_URL).stream()
                .filter(url -> !ConfigLoader.text(url, v).isEmpty()).map(Setting::key).toList());
    }

    static ProxyConfig read(Map<Setting, String> v) {
        Optional<Endpoint> connect = endpoint(Setting.PROXY_CONNECT_URL, Setting.PROXY_CONNECT_TIMEOUT, v);
        Optional<Endpoint> refresh = endpoint(Setting.PROXY_REFRESH_URL, Setting.PROXY_REFRESH_TIMEOUT, v);
        Optional<Endpoint> subscribe = endpoint(Setting.PROXY_SUBSCRIBE_URL, Setting.PROXY_SUBSCRIBE_TIMEOUT, v);
        Optional<Endpoint> publish = endpoint(Setting.PROXY_PUBLISH_URL, Setting.PROXY_PUBLISH_TIMEOUT, v);
        Optional<Endpoint> rpc = endpoint(Setting.PROXY_RPC_URL, Setting.PROXY_RPC_TIMEOUT, v);
        String rpcService = ConfigLoader.text(Setting.PROXY_RPC_SERVICE, v);
        if (rpc.isPresent() && rpcService.isEmpty()) {
            throw new IllegalArgumentException(Setting.PROXY_RPC_SERVICE.key() + " must not be empty when "
                    + Setting.PROXY_RPC_URL.key() + " is set");
        }
        int concurrency = atLeastOne(Setting.PROXY_MAX_CONCURRENCY, v);
        int failures = atLeastOne(Setting.PROXY_BREAKER_FAILURES, v);
        Duration cooldown = positive(Setting.PROXY_BREAKER_COOLDOWN, v);
        Optional<String> secret = Optional.of(ConfigLoader.text(Setting.HOOKS_SECRET, v)).filter(s -> !s.isEmpty());
        ProxyConfig config = new ProxyConfig(secret, connect, ConfigLoader.bool(Setting.PROXY_CONNECT_ALWAYS, v),
                refresh, subscribe, patterns(Setting.PROXY_SUBSCRIBE_CHANNELS, v), publish,
                patterns(Setting.PROXY_PUBLISH_CHANNELS, v), rpc, rpcService, concurrency, failures, cooldown,
                headers(v));
        if (config.any()) {
            if (secret.isEmpty()) {
                // names the proxy keys given too: they are what made the secret necessary
                throw new IllegalArgumentException(Setting.HOOKS_SECRET.key() + " (" + Setting.HOOKS_SECRET.envVar()
                        + ") must be set when a proxy is configured (" + configured(v)
                        + "): it signs every call to the application");
            }
            if (secret.get().length() < MIN_SECRET_CHARS) {
                throw new IllegalArgumentException(Setting.HOOKS_SECRET.key() + " must be at least "
                        + MIN_SECRET_CHARS + " characters");
            }
        }
        return config;
    }

    private static Optional<Endpoint> endpoint(Setting url, Setting timeout, Map<Setting, String> v) {
        String text = ConfigLoader.text(url, v);
        Duration deadline = positive(timeout, v);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw ConfigLoader.invalid(url, text, "an http:// or https:// URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw ConfigLoader.invalid(url, text, "an http:// or https:// URL with a host");
        }
        return Optional.of(new Endpoint(uri, deadline));
    }

    private static Duration positive(Setting setting, Map<Setting, String> v) {
        Duration value = ConfigLoader.duration(setting, v);
        if (value.isNegative() || value.isZero()) {
            throw ConfigLoader.invalid(setting, ConfigLoader.text(setting, v), "a positive duration");
        }
        return value;
    }

    private static int atLeastOne(Setting setting, Map<Setting, String> v) {
        int value = ConfigLoader.integer(setting, v);
        if (value < 1) {
            throw ConfigLoader.invalid(setting, ConfigLoader.text(setting, v), "at least 1");
        }
        return value;
    }

    private static List<ChannelPattern> patterns(Setting setting, Map<Setting, String> v) {
        List<ChannelPattern> patterns = new ArrayList<>();
        int position = 0;
        for (String raw : ConfigLoader.text(setting, v).split("[;\\n]")) {
            String pattern = raw.strip();
            if (pattern.isEmpty()) {
                continue;
            }
            position++;
            try {
                patterns.add(ChannelPattern.compile(pattern));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(setting.key() + " (" + setting.envVar() + "): pattern " + position
                        + " '" + pattern + "': " + e.getMessage(), e);
            }
        }
        return patterns;
    }

    private static List<String> headers(Map<Setting, String> v) {
        List<String> headers = new ArrayList<>();
        for (String name : ConfigLoader.list(ConfigLoader.text(Setting.PROXY_HEADERS, v))) {
            if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
                throw ConfigLoader.invalid(Setting.PROXY_HEADERS, name, "a list of header names");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-squall-") || List.of("content-length", "content-type", "host", "connection",
                    "upgrade", "expect", "transfer-encoding").contains(lower)) {
                throw ConfigLoader.invalid(Setting.PROXY_HEADERS, name, "a header the proxy call does not set itself");
            }
            headers.add(lower);
        }
        return headers;
    }
}
