package io.squall.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.broker.PublishResult;
import io.squall.api.JsonKey;
import java.util.function.BiConsumer;

/**
 * Where services of the public API publish: the PubSub service's in-process path (past the permissions, through the
 * engine). The server wires it; tests may record.
 */
@FunctionalInterface
public interface ChannelPublisher {
    void publish(JsonKey channel, JsonNode data, BiConsumer<PublishResult, Throwable> onLoop);
}
