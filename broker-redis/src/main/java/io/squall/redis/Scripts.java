package io.squall.redis;

/** The engine's Lua scripts; each touches the keys of one channel only (one slot in a cluster). */
final class Scripts {
    private Scripts() {}

    /**
     * KEYS: stream, meta, result. ARGV: payload, size, ttl, meta ttl, new epoch, publish command, pub/sub channel,
     * result ttl, use result (1/0), publish time (ms). Returns {offset, epoch, duplicate (1/0)}. Assigning the
     * offset, appending and publishing in one script is what makes offset order the delivery order everywhere.
     */
    static final LuaScript PUBLISH = LuaScript.of("publish", """
            if ARGV[9] == '1' then
              local cached = redis.call('hmget', KEYS[3], 'e', 's')
              if cached[1] then
                return {tonumber(cached[2]), cached[1], 1}
              end
            end
            local epoch = redis.call('hget', KEYS[2], 'e')
            if not epoch then
              epoch = ARGV[5]
              redis.call('hset', KEYS[2], 'e', epoch)
            end
            local top = redis.call('hincrby', KEYS[2], 's', 1)
            redis.call('expire', KEYS[2], ARGV[4])
            if top == 1 then
              -- the meta hash was lost (expired, evicted): drop a stream of an earlier epoch
              redis.call('del', KEYS[1])
            end
            redis.call('xadd', KEYS[1], 'MAXLEN', ARGV[2], top .. '-0', 'd', ARGV[1])
            redis.call('expire', KEYS[1], ARGV[3])
            if ARGV[9] == '1' then
              redis.call('hset', KEYS[3], 'e', epoch, 's', top)
              redis.call('expire', KEYS[3], ARGV[8])
            end
            redis.call(ARGV[6], ARGV[7], top .. ':' .. epoch .. ':' .. ARGV[10] .. ':' .. ARGV[1])
            return {top, epoch, 0}
            """);

    /**
     * KEYS: stream, meta. ARGV: new epoch, meta ttl, limit, reverse (1/0), first offset. Returns {top, epoch,
     * entries}. Reading keeps the channel's identity alive (meta TTL refreshed, epoch created when missing).
     */
    static final LuaScript HISTORY = LuaScript.of("history", """
            local meta = redis.call('hmget', KEYS[2], 'e', 's')
            local epoch = meta[1]
            if not epoch then
              epoch = ARGV[1]
              redis.call('hset', KEYS[2], 'e', epoch)
            end
            redis.call('expire', KEYS[2], ARGV[2])
            local top = tonumber(meta[2] or '0')
            local limit = tonumber(ARGV[3])
            if limit == 0 then
              return {top, epoch, {}}
            end
            local entries
            if ARGV[4] == '1' then
              entries = redis.call('xrevrange', KEYS[1], '+', '-', 'COUNT', limit)
            else
              entries = redis.call('xrange', KEYS[1], ARGV[5], '+', 'COUNT', limit)
            end
            return {top, epoch, entries}
            """);

    /** KEYS: expiry zset, data hash. ARGV: key ttl (s), expire-at (ms), client id, identity JSON. */
    static final LuaScript PRESENCE_ADD = LuaScript.of("presence-add", """
            redis.call('zadd', KEYS[1], ARGV[2], ARGV[3])
            redis.call('hset', KEYS[2], ARGV[3], ARGV[4])
            redis.call('expire', KEYS[1], ARGV[1])
            redis.call('expire', KEYS[2], ARGV[1])
            return {}
            """);

    /** KEYS: expiry zset, data hash. ARGV: client id. */
    static final LuaScript PRESENCE_REMOVE = LuaScript.of("presence-remove", """
            redis.call('hdel', KEYS[2], ARGV[1])
            redis.call('zrem', KEYS[1], ARGV[1])
            return {}
            """);

    /** KEYS: expiry zset, data hash. ARGV: now (ms). Drops expired entries first, then returns the hash. */
    static final LuaScript PRESENCE_GET = LuaScript.of("presence-get", """
            local expired = redis.call('zrangebyscore', KEYS[1], '0', ARGV[1])
            for _, client in ipairs(expired) do
              redis.call('hdel', KEYS[2], client)
            end
            if #expired > 0 then
              redis.call('zremrangebyscore', KEYS[1], '0', ARGV[1])
            end
            return redis.call('hgetall', KEYS[2])
            """);
}
