package io.squall.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.core.broker.BrokerUnavailableException;
import io.squall.core.broker.PresenceInfo;
import io.squall.core.broker.PresenceManager;
import io.squall.core.broker.PresenceStats;
import io.squall.api.JsonKey;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Presence on Redis (centrifuge's layout): per channel a ZSET of client ids scored by their expiry time and a
 * HASH client id → identity JSON, both expiring {@code presenceTtl} after the latest add. Reads first drop the
 * expired entries. Entries are not refreshed here: the caller re-adds every present connection well within the
 * TTL (PubSub does it every TTL/3), so a dead node's connections vanish by themselves. Built by {@link RedisEngine}.
 */
public final class RedisPresence implements PresenceManager {
    private final RedisConnections redis;
    private final ObjectMapper mapper;
    private final ChannelNames names;

    RedisPresence(RedisConnections redis, ObjectMapper mapper) {
        this(redis, mapper, redis.names);
    }

    RedisPresence(RedisConnections redis, ObjectMapper mapper, ChannelNames names) {
        this.redis = redis;
        this.mapper = mapper;
        this.names = names;
    }

    @Override
    public void add(JsonKey channel, PresenceInfo info, BiConsumer<Void, Throwable> onLoop) {
        String identity;
        try {
            identity = mapper.writeValueAsString(info.identity());
        } catch (JsonProcessingException e) {
            onLoop.accept(null, e);
            return;
        }
        long expireAt = System.currentTimeMillis() + redis.config.presenceTtl().toMillis();
        run(channel, Scripts.PRESENCE_ADD, reply -> null, onLoop,
                RedisBroker.seconds(redis.config.presenceTtl()), Long.toString(expireAt), info.clientId(), identity);
    }

    @Override
    public void remove(JsonKey channel, String clientId, BiConsumer<Void, Throwable> onLoop) {
        run(channel, Scripts.PRESENCE_REMOVE, reply -> null, onLoop, clientId);
    }

    @Override
    public void presence(JsonKey channel, BiConsumer<Map<String, PresenceInfo>, Throwable> onLoop) {
        run(channel, Scripts.PRESENCE_GET, this::present, onLoop, Long.toString(System.currentTimeMillis()));
    }

    @Override
    public void stats(JsonKey channel, BiConsumer<PresenceStats, Throwable> onLoop) {
        presence(channel, (present, failure) -> {
            if (failure != null) {
                onLoop.accept(null, failure);
                return;
            }
            Set<JsonKey> identities = new HashSet<>();
            present.values().stream()
                    .filter(info -> info.identity() != null)
                    .forEach(info -> identities.add(JsonKey.of(info.identity())));
            onLoop.accept(new PresenceStats(present.size(), identities.size()), null);
        });
    }

    private Map<String, PresenceInfo> present(Object reply) {
        List<?> fieldsAndValues = (List<?>) reply;
        Map<String, PresenceInfo> present = new LinkedHashMap<>();
        for (int i = 0; i + 1 < fieldsAndValues.size(); i += 2) {
            String clientId = (String) fieldsAndValues.get(i);
            JsonNode identity;
            try {
                identity = mapper.readTree((String) fieldsAndValues.get(i + 1));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("redis: presence entry of " + clientId + " is not JSON", e);
            }
            present.put(clientId, new PresenceInfo(clientId, identity == null || identity.isNull() ? null : identity));
        }
        return present;
    }

    private <T> void run(JsonKey channel, LuaScript script, Function<Object, T> decode,
            BiConsumer<T, Throwable> onLoop, String... args) {
        String[] keys = {names.presenceExpiry(channel), names.presenceData(channel)};
        CompletionStage<Object> reply;
        try {
            reply = script.run(redis.commands(channel), keys, args);
        } catch (BrokerUnavailableException e) {
            onLoop.accept(null, e);
            return;
        }
        reply.thenApply(decode).whenComplete((result, failure) -> {
            Throwable reported = failure == null ? null : PubSubLink.unavailable(failure);
            redis.loop.executeCritical(() -> onLoop.accept(result, reported));
        });
    }

    /** Nothing of its own to close: {@link RedisEngine#close()} closes the connections. */
    @Override
    public void close() {}

    @Override
    public java.time.Duration ttl() {
        return redis.config.presenceTtl();
    }
}
