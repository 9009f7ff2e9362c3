package io.squall.redis;

/**
 * The claims' Lua scripts. KEYS: a space's expiry ZSET (name → expiry, ms) and its owner HASH (name → owner's
 * canonical JSON), in one slot. ARGV[1] is always the caller's time in ms; an entry whose expiry is not after it
 * counts as free, and each script drops the expired entries it meets. Both keys expire with their latest entry.
 */
final class ClaimScripts {
    private ClaimScripts() {}

    private static final String KEEP_KEYS = """
            local function keep(ttl)
              for _, key in ipairs(KEYS) do
                if redis.call('pttl', key) < ttl then
                  redis.call('pexpire', key, ttl)
                end
              end
            end
            local function live(name)
              local expiry = redis.call('zscore', KEYS[1], name)
              if expiry and tonumber(expiry) > tonumber(ARGV[1]) then
                return redis.call('hget', KEYS[2], name)
              end
              if expiry then
                redis.call('zrem', KEYS[1], name)
                redis.call('hdel', KEYS[2], name)
              end
              return false
            end
            """;

    /** ARGV: now, name, owner, ttl ms, put (1: whoever held it). Returns 1 if the name is now the owner's. */
    static final LuaScript CLAIM = LuaScript.of("claim", KEEP_KEYS + """
            local current = live(ARGV[2])
            if current and current ~= ARGV[3] and ARGV[5] ~= '1' then
              return {0}
            end
            local ttl = tonumber(ARGV[4])
            redis.call('zadd', KEYS[1], tonumber(ARGV[1]) + ttl, ARGV[2])
            redis.call('hset', KEYS[2], ARGV[2], ARGV[3])
            keep(ttl)
            return {1}
            """);

    /** ARGV: now, name, owner. Returns 1 if it freed the name. */
    static final LuaScript RELEASE = LuaScript.of("release", KEEP_KEYS + """
            local current = live(ARGV[2])
            if current and current == ARGV[3] then
              redis.call('zrem', KEYS[1], ARGV[2])
              redis.call('hdel', KEYS[2], ARGV[2])
              return {1}
            end
            return {0}
            """);

    /** ARGV: now, name, take (1: free it too). Returns {owner} or {}. */
    static final LuaScript OWNER = LuaScript.of("owner", KEEP_KEYS + """
            local current = live(ARGV[2])
            if not current then
              return {}
            end
            if ARGV[3] == '1' then
              redis.call('zrem', KEYS[1], ARGV[2])
              redis.call('hdel', KEYS[2], ARGV[2])
            end
            return {current}
            """);

    /** ARGV: now. Drops the expired entries, returns the others as name, owner, name, owner... */
    static final LuaScript ALL = LuaScript.of("all", """
            local expired = redis.call('zrangebyscore', KEYS[1], '-inf', ARGV[1])
            for _, name in ipairs(expired) do
              redis.call('zrem', KEYS[1], name)
              redis.call('hdel', KEYS[2], name)
            end
            return redis.call('hgetall', KEYS[2])
            """);

    /** ARGV: now, node. Frees every name whose owner is an object with that "node"; returns how many. */
    static final LuaScript RELEASE_NODE = LuaScript.of("release_node", """
            local entries = redis.call('hgetall', KEYS[2])
            local freed = 0
            for i = 1, #entries, 2 do
              local ok, owner = pcall(cjson.decode, entries[i + 1])
              if ok and type(owner) == 'table' and owner['node'] == ARGV[2] then
                redis.call('zrem', KEYS[1], entries[i])
                redis.call('hdel', KEYS[2], entries[i])
                freed = freed + 1
              end
            end
            return {freed}
            """);
}
