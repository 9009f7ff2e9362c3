package io.squall.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.core.broker.BrokerUnavailableException;
import io.squall.core.cluster.Claims;
import io.squall.api.JsonKey;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * {@link Claims} on Redis: per space a ZSET name → expiry (ms) and a HASH name → owner (canonical JSON), tagged with
 * the space's partition so that in a cluster both live in one slot and one script updates them atomically.
 * Built by {@link RedisEngine} for the services' bus.
 */
final class RedisClaims implements Claims {
    private final RedisConnections redis;
    private final ObjectMapper mapper;
    private final ChannelNames names;

    RedisClaims(RedisConnections redis, ObjectMapper mapper, ChannelNames names) {
        this.redis = redis;
        this.mapper = mapper;
        this.names = names;
    }

    @Override
    public void claim(JsonKey space, String name, JsonNode owner, Duration ttl, BiConsumer<Boolean, Throwable> onLoop) {
        run(space, ClaimScripts.CLAIM, RedisClaims::flag, onLoop, name, JsonKey.of(owner).canonicalText(),
                Long.toString(Math.max(1, ttl.toMillis())), "0");
    }

    @Override
    public void release(JsonKey space, String name, JsonNode owner, BiConsumer<Boolean, Throwable> onLoop) {
        run(space, ClaimScripts.RELEASE, RedisClaims::flag, onLoop, name, JsonKey.of(owner).canonicalText());
    }

    @Override
    public void owner(JsonKey space, String name, BiConsumer<JsonNode, Throwable> onLoop) {
        run(space, ClaimScripts.OWNER, this::single, onLoop, name, "0");
    }

    @Override
    public void all(JsonKey space, BiConsumer<Map<String, JsonNode>, Throwable> onLoop) {
        run(space, ClaimScripts.ALL, this::entries, onLoop);
    }

    @Override
    public void put(JsonKey space, String name, JsonNode value, Duration ttl, BiConsumer<Void, Throwable> onLoop) {
        run(space, ClaimScripts.CLAIM, reply -> null, onLoop, name, JsonKey.of(value).canonicalText(),
                Long.toString(Math.max(1, ttl.toMillis())), "1");
    }

    @Override
    public void take(JsonKey space, String name, BiConsumer<JsonNode, Throwable> onLoop) {
        run(space, ClaimScripts.OWNER, this::single, onLoop, name, "1");
    }

    @Override
    public void releaseNode(JsonKey space, String node, BiConsumer<Integer, Throwable> onLoop) {
        run(space, ClaimScripts.RELEASE_NODE, reply -> ((Long) ((List<?>) reply).get(0)).intValue(), onLoop, node);
    }

    private static Boolean flag(Object reply) {
        return ((Long) ((List<?>) reply).get(0)) == 1;
    }

    private JsonNode single(Object reply) {
        List<?> values = (List<?>) reply;
        return values.isEmpty() ? null : read((String) values.get(0));
    }

    private Map<String, JsonNode> entries(Object reply) {
        List<?> fieldsAndValues = (List<?>) reply;
        Map<String, JsonNode> held = new LinkedHashMap<>();
        for (int i = 0; i + 1 < fieldsAndValues.size(); i += 2) {
            held.put((String) fieldsAndValues.get(i), read((String) fieldsAndValues.get(i + 1)));
        }
        return held;
    }

    private JsonNode read(String text) {
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("redis: a claim's owner is not JSON", e);
        }
    }

    private <T> void run(JsonKey space, LuaScript script, Function<Object, T> decode, BiConsumer<T, Throwable> onLoop,
            String... args) {
        String[] keys = {names.claimExpiry(space), names.claimOwners(space)};
        String[] withNow = new String[args.length + 1];
        withNow[0] = Long.toString(System.currentTimeMillis());
        System.arraycopy(args, 0, withNow, 1, args.length);
        CompletionStage<Object> reply;
        try {
            reply = script.run(redis.commands(space), keys, withNow);
        } catch (BrokerUnavailableException e) {
            onLoop.accept(null, e);
            return;
        }
        reply.thenApply(decode).whenComplete((result, failure) -> {
            Throwable reported = failure == null ? null : PubSubLink.unavailable(failure);
            redis.loop.executeCritical(() -> onLoop.accept(result, reported));
        });
    }
}
