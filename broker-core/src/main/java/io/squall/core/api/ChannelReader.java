package io.squall.core.api;

import io.squall.core.broker.HistoryQuery;
import io.squall.core.broker.HistoryResult;
import io.squall.core.broker.PresenceInfo;
import io.squall.core.error.ErrorName;
import io.squall.api.JsonKey;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Where services of the public API read channels: PubSub's trusted history and presence reads (as the backend's),
 * past the permissions, through the engine. The server wires PubSub's; tests may keep their own. Loop thread.
 */
public interface ChannelReader {
    /** The result, or the error's name (history not enabled, a limit past the maximum, the engine's failure). */
    void history(JsonKey channel, HistoryQuery query, BiConsumer<HistoryResult, ErrorName> onLoop);

    /** Client id to presence entry, or the error's name (presence not enabled, the engine's failure). */
    void presence(JsonKey channel, BiConsumer<Map<String, PresenceInfo>, ErrorName> onLoop);
}
