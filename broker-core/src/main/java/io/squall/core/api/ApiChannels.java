package io.squall.core.api;

import io.micrometer.core.instrument.Counter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.squall.api.ChannelHistory;
import io.squall.api.Channels;
import io.squall.api.ServiceError;
import io.squall.core.ServiceContext;
import io.squall.core.broker.HistoryQuery;
import io.squall.core.broker.Publication;
import io.squall.api.JsonKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Channels} over the PubSub service's in-process publish path. */
final class ApiChannels implements Channels {
    private static final Logger log = LoggerFactory.getLogger(ApiChannels.class);

    private final ServiceContext context;
    private final ChannelPublisher publisher;
    private final ChannelReader reader;
    private final Counter failures;

    ApiChannels(ServiceContext context, ChannelPublisher publisher, ChannelReader reader) {
        this.context = context;
        this.publisher = publisher;
        this.reader = reader;
        // the counter PubSub's own in-process publishers count on (same name, same meter)
        this.failures = Counter.builder("broker.pubsub.publish.failures")
                .description("In-process publications the broker refused (engine unavailable), each logged")
                .register(context.metrics().registry());
    }

    @Override
    public void publish(String channel, Object data) {
        publish(channel, data, error -> {
            if (error != null) {
                failures.increment();
                log.warn("publication to {} was not accepted: {}", channel, error.wireName());
            }
        });
    }

    @Override
    public void publish(String channel, Object data, Consumer<ServiceError> onLoop) {
        context.loop().checkInLoop();
        publisher.publish(JsonKey.of(channel), context.codec().toTree(data), (result, failure) ->
                onLoop.accept(ApiFailures.of(failure, "publication to " + channel)));
    }

    @Override
    public void history(String channel, int limit, BiConsumer<ChannelHistory, ServiceError> onLoop) {
        context.loop().checkInLoop();
        if (limit < 0) { // past recovery.max.publications the reader refuses it
            onLoop.accept(null, ServiceError.INVALID_PARAMS);
            return;
        }
        // newest first from the engine, then turned around: the latest `limit`, oldest first
        reader.history(JsonKey.of(channel), new HistoryQuery(0, limit, true), (history, error) -> {
            if (error != null) {
                onLoop.accept(null, ErrorNames.toApi(error));
                return;
            }
            List<ChannelHistory.Entry> entries = new ArrayList<>(history.publications().size());
            for (Publication publication : history.publications()) {
                entries.add(new ChannelHistory.Entry(publication.offset(), publication.data()));
            }
            Collections.reverse(entries);
            onLoop.accept(new ChannelHistory(history.position().epoch(), history.position().offset(), entries), null);
        });
    }

    @Override
    public void presence(String channel, BiConsumer<Map<String, JsonNode>, ServiceError> onLoop) {
        context.loop().checkInLoop();
        reader.presence(JsonKey.of(channel), (present, error) -> {
            if (error != null) {
                onLoop.accept(null, ErrorNames.toApi(error));
                return;
            }
            Map<String, JsonNode> clients = new LinkedHashMap<>();
            present.forEach((id, info) -> clients.put(id, info.identity() == null
                    ? NullNode.getInstance() : info.identity()));
            onLoop.accept(clients, null);
        });
    }
}
