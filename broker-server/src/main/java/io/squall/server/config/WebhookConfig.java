package io.squall.server.config;

import io.squall.server.hooks.HookSignature;
import io.squall.server.hooks.WebhookRules;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The lifecycle webhooks ({@code webhooks.*} keys and {@code hooks.secret}); absent while {@code webhooks.url} is
 * empty. See docs/hooks-webhooks.md.
 *
 * @param url where batches of events are POSTed
 * @param secret signs every POST ({@code hooks.secret})
 * @param channels which channels report which events
 * @param services the kinds of service whose channels the rules apply to: {@code pubsub}, {@code chat}
 * @param connections which connection events are reported
 * @param batchSize most events in one POST
 * @param queueSize events waiting for delivery; past it, new ones are dropped and counted
 * @param timeout longest one POST waits for its answer
 * @param retryMin first wait before a failed POST is sent again
 * @param retryMax longest wait between two attempts
 */
public record WebhookConfig(URI url, String secret, WebhookRules channels, Set<String> services,
        Set<WebhookRules.Event> connections,
        int batchSize, int queueSize, Duration timeout, Duration retryMin, Duration retryMax) {
    static final int MAX_BATCH = 1000;
    /** the services that report their channels: PubSub's subscriptions and Chat's members */
    public static final Set<String> SERVICE_KINDS = Set.of("pubsub", "chat");

    public WebhookConfig {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw new IllegalArgumentException(Setting.WEBHOOKS_URL.key() + " must be an http:// or https:// URL, was '"
                    + url + "'");
        }
        try {
            HttpRequest.newBuilder(url); // what the JDK client would refuse at the first POST is refused now
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Setting.WEBHOOKS_URL.key() + " '" + url + "': " + e.getMessage(), e);
        }
        if (secret.isEmpty()) {
            throw new IllegalArgumentException(Setting.HOOKS_SECRET.key() + " is required when "
                    + Setting.WEBHOOKS_URL.key() + " is set: every webhook is signed with it");
        }
        new HookSignature(secret); // refuses a short secret, naming the key
        connections = Set.copyOf(connections);
        services = Set.copyOf(services);
        for (String service : services) {
            if (!SERVICE_KINDS.contains(service)) {
                throw new IllegalArgumentException(Setting.WEBHOOKS_SERVICES.key() + " names '" + service
                        + "': it takes pubsub and/or chat");
            }
        }
        if (batchSize < 1 || batchSize > MAX_BATCH) {
            throw new IllegalArgumentException(Setting.WEBHOOKS_BATCH_SIZE.key() + " must be 1 to " + MAX_BATCH
                    + ", was " + batchSize);
        }
        if (queueSize < batchSize) {
            throw new IllegalArgumentException(Setting.WEBHOOKS_QUEUE_SIZE.key() + " must be at least "
                    + Setting.WEBHOOKS_BATCH_SIZE.key() + " (" + batchSize + "), was " + queueSize);
        }
        positive(Setting.WEBHOOKS_TIMEOUT, timeout);
        positive(Setting.WEBHOOKS_RETRY_MIN, retryMin);
        if (retryMax.compareTo(retryMin) < 0) {
            throw new IllegalArgumentException(Setting.WEBHOOKS_RETRY_MAX.key() + " must be at least "
                    + Setting.WEBHOOKS_RETRY_MIN.key() + " (" + retryMin + "), was " + retryMax);
        }
    }

    private static void positive(Setting setting, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(setting.key() + " must be positive, was " + value);
        }
    }

    static Optional<WebhookConfig> read(Map<Setting, String> v) {
        String url = ConfigLoader.text(Setting.WEBHOOKS_URL, v);
        WebhookRules channels = rules(ConfigLoader.text(Setting.WEBHOOKS_CHANNELS, v));
        Set<WebhookRules.Event> connections = connections(ConfigLoader.text(Setting.WEBHOOKS_CONNECTIONS, v));
        Set<String> services = Set.copyOf(ConfigLoader.list(ConfigLoader.text(Setting.WEBHOOKS_SERVICES, v)));
        int batch = ConfigLoader.integer(Setting.WEBHOOKS_BATCH_SIZE, v);
        int queue = ConfigLoader.integer(Setting.WEBHOOKS_QUEUE_SIZE, v);
        Duration timeout = ConfigLoader.duration(Setting.WEBHOOKS_TIMEOUT, v);
        Duration retryMin = ConfigLoader.duration(Setting.WEBHOOKS_RETRY_MIN, v);
        Duration retryMax = ConfigLoader.duration(Setting.WEBHOOKS_RETRY_MAX, v);
        if (url.isEmpty()) {
            if (!channels.isEmpty() || !connections.isEmpty()) {
                throw new IllegalArgumentException(Setting.WEBHOOKS_URL.key() + " is empty but "
                        + (channels.isEmpty() ? Setting.WEBHOOKS_CONNECTIONS : Setting.WEBHOOKS_CHANNELS).key()
                        + " asks for events: set where to send them");
            }
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw ConfigLoader.invalid(Setting.WEBHOOKS_URL, url, "an http:// or https:// URL");
        }
        return Optional.of(new WebhookConfig(uri, ConfigLoader.text(Setting.HOOKS_SECRET, v), channels, services,
                connections, batch, queue, timeout, retryMin, retryMax));
    }

    private static WebhookRules rules(String text) {
        try {
            return WebhookRules.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Setting.WEBHOOKS_CHANNELS.key() + ": " + e.getMessage(), e);
        }
    }

    private static Set<WebhookRules.Event> connections(String text) {
        Set<WebhookRules.Event> events = EnumSet.noneOf(WebhookRules.Event.class);
        for (String name : ConfigLoader.list(text)) {
            WebhookRules.Event event = WebhookRules.Event.named(name);
            if (event != WebhookRules.Event.CONNECTED && event != WebhookRules.Event.DISCONNECTED) {
                throw ConfigLoader.invalid(Setting.WEBHOOKS_CONNECTIONS, text, "connected and/or disconnected");
            }
            events.add(event);
        }
        return events;
    }
}
