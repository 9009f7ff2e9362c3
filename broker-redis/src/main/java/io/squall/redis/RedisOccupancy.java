package io.squall.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.core.broker.BrokerUnavailableException;
import io.squall.core.cluster.Occupancy;
import io.squall.api.JsonKey;
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
 *
 * <p>Every change is also appended, by the same script, to the stream of the channel's partition
 * ({@code P.occ.{T}.events.<p>}, {@link #PARTITIONS} of them): the node holding a partition's lease delivers it in
 * order and deletes what the application acknowledged. A partition holds at most {@link #MAX_KEPT} undelivered
 * changes (no node could deliver them for long); a change past that is not kept but counted in
 * {@code P.occ.{T}.events.dropped}, never trimmed silently.
 */
final class RedisOccupancy implements Occupancy {
    /** the space that picks the connection and the tag: every occupancy key shares them */
    private static final JsonKey SPACE = JsonKey.of("occupancy");
    static final int PARTITIONS = 16;
    static final int MAX_KEPT = 100_000;
    /** appends a change to its channel's partition: ARGV[2] streams' prefix, ARGV[3] reporting node, ARGV[4] now */
    private static String append(int maxKept) {
        return "local function append(channel, kind, seq)\n"
            + "  local stream = ARGV[2] .. (tonumber(string.sub(redis.sha1hex(channel), 1, 6), 16) % " + PARTITIONS + ")\n"
            + "  if redis.call('xlen', stream) >= " + maxKept + " then\n"
            + "    redis.call('incr', ARGV[2] .. 'dropped')\n"
            + "    return\n"
            + "  end\n"
            + "  redis.call('xadd', stream, '*', 't', kind, 's', seq, 'c', channel, 'n', ARGV[3], 'm', ARGV[4])\n"
            + "end\n";
    }

    /** KEYS: node set, counts, seq. ARGV: channel. Returns {seq} if no node held it before, else {0}. */
    private static final String ENTER = """
            if redis.call('sadd', KEYS[1], ARGV[1]) == 1 then
              if redis.call('hincrby', KEYS[2], ARGV[1], 1) == 1 then
                local seq = redis.call('incr', KEYS[3])
                append(ARGV[1], 'o', seq)
                return {seq}
              end
            end
            return {0}
            """;

    /** KEYS: node set, counts, seq. ARGV: channel. Returns {seq} if no node holds it now, else {0}. */
    private static final String LEAVE = """
            if redis.call('srem', KEYS[1], ARGV[1]) == 1 then
              if redis.call('hincrby', KEYS[2], ARGV[1], -1) <= 0 then
                redis.call('hdel', KEYS[2], ARGV[1])
                local seq = redis.call('incr', KEYS[3])
                append(ARGV[1], 'v', seq)
                return {seq}
              end
            end
            return {0}
            """;

    /** KEYS: the node's set, counts, seq. Returns channel, seq, channel, seq... for the channels no node holds now. */
    private static final String RELEASE_NODE = """
            local vacated = {}
            for _, channel in ipairs(redis.call('smembers', KEYS[1])) do
              if redis.call('hincrby', KEYS[2], channel, -1) <= 0 then
                redis.call('hdel', KEYS[2], channel)
                local seq = redis.call('incr', KEYS[3])
                append(channel, 'v', seq)
                table.insert(vacated, channel)
                table.insert(vacated, seq)
              end
            end
            redis.call('del', KEYS[1])
            return vacated
            """;

    /** KEYS: a partition's stream. ARGV: start ({@code -} or {@code (id}), count. Entries in order. */
    private static final LuaScript READ = LuaScript.of("occupancy_read", """
            return redis.call('xrange', KEYS[1], ARGV[1], '+', 'COUNT', tonumber(ARGV[2]))
            """);

    /** KEYS: a partition's stream. ARGV: the ids delivered. */
    private static final LuaScript DELETE = LuaScript.of("occupancy_delete", """
            return {redis.call('xdel', KEYS[1], unpack(ARGV))}
            """);

    /** KEYS: the count of changes not kept. */
    private static final LuaScript DROPPED = LuaScript.of("occupancy_dropped", """
            return {tonumber(redis.call('get', KEYS[1]) or '0')}
            """);

    private final LuaScript enter;
    private final LuaScript leave;
    private final LuaScript releaseNode;
    private final RedisConnections redis;
    private final ObjectMapper mapper;
    private final String prefix;
    private final String nodeId;

    /** @param maxKept the undelivered changes a partition holds ({@link #MAX_KEPT}; less in tests) */
    RedisOccupancy(RedisConnections redis, ObjectMapper mapper, ChannelNames names, String keyPrefix, String nodeId,
            int maxKept) {
        this.enter = LuaScript.of("occupancy_enter", append(maxKept) + ENTER);
        this.leave = LuaScript.of("occupancy_leave", append(maxKept) + LEAVE);
        this.releaseNode = LuaScript.of("occupancy_release_node", append(maxKept) + RELEASE_NODE);
        this.redis = redis;
        this.mapper = mapper;
        this.prefix = keyPrefix + ".occ." + names.tag(names.partition(SPACE)) + ".";
        this.nodeId = nodeId;
    }

    @Override
    public void enter(String service, JsonKey channel, BiConsumer<Long, Throwable> onLoop) {
        run(enter, nodeId, RedisOccupancy::seq, onLoop, service + "\n" + channel.canonicalText(), streams(),
                nodeId, now());
    }

    @Override
    public void leave(String service, JsonKey channel, BiConsumer<Long, Throwable> onLoop) {
        run(leave, nodeId, RedisOccupancy::seq, onLoop, service + "\n" + channel.canonicalText(), streams(),
                nodeId, now());
    }

    @Override
    public void releaseNode(String node, BiConsumer<List<Change>, Throwable> onLoop) {
        run(releaseNode, node, this::changes, onLoop, "", streams(), nodeId, now());
    }

    @Override
    public void dropped(BiConsumer<Long, Throwable> onLoop) {
        run(DROPPED, new String[] {streams() + "dropped"}, RedisOccupancy::seq, onLoop);
    }

    @Override
    public int partitions() {
        return PARTITIONS;
    }

    /** As the scripts pick it: the first 6 hex digits of the SHA-1 of the channel's name, modulo the partitions. */
    @Override
    public int partitionOf(String service, JsonKey channel) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-1").digest(
                    (service + "\n" + channel.canonicalText()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return Integer.parseInt(java.util.HexFormat.of().formatHex(digest, 0, 3), 16) % PARTITIONS;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }

    @Override
    public void read(int partition, String after, int count, BiConsumer<List<Entry>, Throwable> onLoop) {
        run(READ, new String[] {streams() + partition}, this::entries, onLoop, after == null ? "-" : "(" + after,
                Integer.toString(count));
    }

    @Override
    public void delete(int partition, List<String> ids, BiConsumer<Void, Throwable> onLoop) {
        run(DELETE, new String[] {streams() + partition}, reply -> null, onLoop, ids.toArray(String[]::new));
    }

    private String streams() {
        return prefix + "events.";
    }

    private static String now() {
        return Long.toString(System.currentTimeMillis());
    }

    private List<Entry> entries(Object reply) {
        List<Entry> entries = new ArrayList<>();
        for (Object item : (List<?>) reply) {
            List<?> entry = (List<?>) item;
            List<?> fields = (List<?>) entry.get(1);
            java.util.Map<String, String> values = new java.util.HashMap<>();
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                values.put(String.valueOf(fields.get(i)), String.valueOf(fields.get(i + 1)));
            }
            Change change = change(values.get("c"), Long.parseLong(values.get("s")));
            entries.add(new Entry((String) entry.get(0), "o".equals(values.get("t")), change.seq(), change.service(),
                    change.channel(), values.get("n"), Long.parseLong(values.get("m"))));
        }
        return entries;
    }

    private Change change(String named, long seq) {
        int split = named.indexOf('\n');
        try {
            return new Change(named.substring(0, split), JsonKey.of(mapper.readTree(named.substring(split + 1))), seq);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("redis: an occupied channel is not JSON", e);
        }
    }

    private static Long seq(Object reply) {
        return (Long) ((List<?>) reply).get(0);
    }

    private List<Change> changes(Object reply) {
        List<?> values = (List<?>) reply;
        List<Change> changes = new ArrayList<>(values.size() / 2);
        for (int i = 0; i + 1 < values.size(); i += 2) {
            changes.add(change((String) values.get(i), (Long) values.get(i + 1)));
        }
        return changes;
    }

    private <T> void run(LuaScript script, String node, Function<Object, T> decode, BiConsumer<T, Throwable> onLoop,
            String... args) {
        run(script, new String[] {prefix + "node." + node, prefix + "count", prefix + "seq"}, decode, onLoop, args);
    }

    private <T> void run(LuaScript script, String[] keys, Function<Object, T> decode, BiConsumer<T, Throwable> onLoop,
            String... args) {
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
