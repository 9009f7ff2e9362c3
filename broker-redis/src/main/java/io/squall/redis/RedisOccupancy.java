package io.squall.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.core.broker.BrokerUnavailableException;
import io.squall.core.cluster.Occupancy;
import io.squall.core.json.JsonKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * {@link Occupancy} on Redis, decided by one Lua script per change so that two nodes entering or leaving a channel
 * at once see one transition. Keys, all under one hash tag (one slot, one script may touch them all): a SET per node
 * of the channels it holds ({@code P.occ.{T}.node.<node>}), a HASH channel → how many nodes hold it
 * ({@code P.occ.{T}.count}) and the counter every change takes its seq from ({@code P.occ.{T}.seq}). A channel is
 * named {@code <service> LF <canonical JSON>}: the canonical text has no raw line feed.
 */
final class RedisOccupancy implements Occupancy {
    /** the space that picks the connection and the tag: every occupancy key shares them */
    private static final JsonKey SPACE = JsonKey.of("occupancy");

    /** KEYS: node set, counts, seq. ARGV: channel. Returns {seq} if no node held it before, else {0}. */
    static final LuaScript ENTER = LuaScript.of("occupancy_enter", """
            if redis.call('sadd', KEYS[1], ARGV[1]) == 1 then
              if redis.call('hincrby', KEYS[2], ARGV[1], 1) == 1 then
                return {redis.call('incr', KEYS[3])}
              end
            end
            return {0}
            """);

    /** KEYS: node set, counts, seq. ARGV: channel. Returns {seq} if no node holds it now, else {0}. */
    static final LuaScript LEAVE = LuaScript.of("occupancy_leave", """
            if redis.call('srem', KEYS[1], ARGV[1]) == 1 then
              if redis.call('hincrby', KEYS[2], ARGV[1], -1) <= 0 then
                redis.call('hdel', KEYS[2], ARGV[1])
                return {redis.call('incr', KEYS[3])}
              end
            end
            return {0}
            """);

    /** KEYS: the node's set, counts, seq. Returns channel, seq, channel, seq... for the channels no node holds now. */
    static final LuaScript RELEASE_NODE = LuaScript.of("occupancy_release_node", """
            local vacated = {}
            for _, channel in ipairs(redis.call('smembers', KEYS[1])) do
              if redis.call('hincrby', KEYS[2], channel, -1) <= 0 then
                redis.call('hdel', KEYS[2], channel)
                table.insert(vacated, channel)
                table.insert(vacated, redis.call('incr', KEYS[3]))
              end
            end
            redis.call('del', KEYS[1])
            return vacated
            """);

    private final RedisConnections redis;
    private final ObjectMapper mapper;
    private final String prefix;
    private final String nodeId;

    RedisOccupancy(RedisConnections redis, ObjectMapper mapper, ChannelNames names, String keyPrefix, String nodeId) {
        this.redis = redis;
        this.mapper = mapper;
        this.prefix = keyPrefix + ".occ." + names.tag(names.partition(SPACE)) + ".";
        this.nodeId = nodeId;
    }

    @Override
    public void enter(String service, JsonKey channel, BiConsumer<Long, Throwable> onLoop) {
        run(ENTER, nodeId, RedisOccupancy::seq, onLoop, service + "\n" + channel.canonicalText());
    }

    @Override
    public void leave(String service, JsonKey channel, BiConsumer<Long, Throwable> onLoop) {
        run(LEAVE, nodeId, RedisOccupancy::seq, onLoop, service + "\n" + channel.canonicalText());
    }

    @Override
    public void releaseNode(String node, BiConsumer<List<Change>, Throwable> onLoop) {
        run(RELEASE_NODE, node, this::changes, onLoop);
    }

    private static Long seq(Object reply) {
        return (Long) ((List<?>) reply).get(0);
    }

    private List<Change> changes(Object reply) {
        List<?> values = (List<?>) reply;
        List<Change> changes = new ArrayList<>(values.size() / 2);
        for (int i = 0; i + 1 < values.size(); i += 2) {
            String named = (String) values.get(i);
            int split = named.indexOf('\n');
            try {
                changes.add(new Change(named.substring(0, split), JsonKey.of(mapper.readTree(named.substring(split + 1))),
                        (Long) values.get(i + 1)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("redis: an occupied channel is not JSON", e);
            }
        }
        return changes;
    }

    private <T> void run(LuaScript script, String node, Function<Object, T> decode, BiConsumer<T, Throwable> onLoop,
            String... args) {
        String[] keys = {prefix + "node." + node, prefix + "count", prefix + "seq"};
        CompletionStage<Object> reply;
        try {
            reply = script.run(redis.commands(SPACE), keys, args);
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
