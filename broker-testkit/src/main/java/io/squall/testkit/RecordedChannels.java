package io.squall.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.api.ChannelPublisher;
import io.squall.core.api.ChannelReader;
import io.squall.core.broker.HistoryQuery;
import io.squall.core.broker.HistoryResult;
import io.squall.core.broker.PresenceInfo;
import io.squall.core.broker.PublishResult;
import io.squall.core.broker.StreamPosition;
import io.squall.core.error.ErrorName;
import io.squall.api.JsonKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The channels of a {@link ServiceTester}: every publication is recorded, in order, and every channel keeps all of
 * its own as history (offsets from 1, epoch {@code "test"}), so a service that reads back what it published can be
 * tested; nobody subscribes through PubSub here, so presence is always empty. Loop thread.
 */
final class RecordedChannels implements ChannelPublisher, ChannelReader {
    static final String EPOCH = "test";

    private final List<Publication> published = new ArrayList<>();
    private final Map<JsonKey, List<io.squall.core.broker.Publication>> kept = new HashMap<>();

    List<Publication> published() {
        return published;
    }

    @Override
    public void publish(JsonKey channel, JsonNode data, BiConsumer<PublishResult, Throwable> onLoop) {
        published.add(new Publication(channel.value().asText(), data));
        List<io.squall.core.broker.Publication> stream = kept.computeIfAbsent(channel, c -> new ArrayList<>());
        stream.add(new io.squall.core.broker.Publication(stream.size() + 1, data));
        onLoop.accept(PublishResult.LIVE, null);
    }

    @Override
    public void history(JsonKey channel, HistoryQuery query, BiConsumer<HistoryResult, ErrorName> onLoop) {
        List<io.squall.core.broker.Publication> stream = kept.getOrDefault(channel, List.of());
        List<io.squall.core.broker.Publication> asked = new ArrayList<>();
        if (query.reverse()) {
            for (int i = stream.size() - 1; i >= 0 && asked.size() < query.limit(); i--) {
                asked.add(stream.get(i));
            }
        } else {
            for (int i = (int) Math.min(query.sinceOffset(), stream.size()); i < stream.size()
                    && asked.size() < query.limit(); i++) {
                asked.add(stream.get(i));
            }
        }
        onLoop.accept(new HistoryResult(new StreamPosition(stream.size(), EPOCH), asked), null);
    }

    @Override
    public void presence(JsonKey channel, BiConsumer<Map<String, PresenceInfo>, ErrorName> onLoop) {
        onLoop.accept(Map.of(), null);
    }
}
