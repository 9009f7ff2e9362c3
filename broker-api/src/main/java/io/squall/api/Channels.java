package io.squall.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * PubSub's channels from a service, as the backend sees them: publishing and reading history and presence past the
 * channel permissions, through the broker's engine, so every node sharing it is in it. Loop thread only.
 */
public interface Channels {

    /**
     * Publishes {@code data} (any Jackson-serializable value) to {@code channel}. A failure (the engine cannot be
     * reached) is logged and counted ({@code broker.pubsub.publish.failures}).
     */
    void publish(String channel, Object data);

    /**
     * Publishes and calls {@code onLoop} once the engine accepted it (with null) or refused it (with
     * {@link ServiceError#UNAVAILABLE}, or {@link ServiceError#OVERLOADED}): ready to pass to {@link Call#fail}.
     */
    void publish(String channel, Object data, Consumer<ServiceError> onLoop);

    /**
     * The latest {@code limit} publications {@code channel} keeps, oldest first, with its position, through the
     * broker's engine (every node's publications). {@code onLoop} gets the history, or the error:
     * {@link ServiceError#HISTORY_NOT_ENABLED} when no {@code pubsub.channels} rule gives the channel a history,
     * {@link ServiceError#INVALID_PARAMS} for a limit below 0 or past {@code recovery.max.publications},
     * {@link ServiceError#UNAVAILABLE} or {@link ServiceError#OVERLOADED}.
     */
    void history(String channel, int limit, BiConsumer<ChannelHistory, ServiceError> onLoop);

    /**
     * Who is subscribed to {@code channel} on every node: each client's id and identity (a JSON null when it
     * connected anonymously). {@link ServiceError#PRESENCE_NOT_ENABLED} when no {@code pubsub.channels} rule turns
     * presence on for the channel.
     */
    void presence(String channel, BiConsumer<Map<String, JsonNode>, ServiceError> onLoop);
}
