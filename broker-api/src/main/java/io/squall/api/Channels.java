package io.squall.api;

import java.util.function.Consumer;

/**
 * Publishing to PubSub channels from a service, as the backend does: past the channel permissions, through the
 * broker's engine, so the subscribers of every node sharing it get the publication. Loop thread only.
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
}
