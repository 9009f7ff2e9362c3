package io.squall.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A Lua script run by its SHA (EVALSHA); a Redis that does not know it yet (first use, NOSCRIPT: restarted, failed
 * over, a new cluster master) gets the text with EVAL, which also caches it there. {@link ScriptGate} keeps the calls
 * on one connection in call order through those resends.
 */
record LuaScript(String name, String text, String sha) {

    static LuaScript of(String name, String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return new LuaScript(name, text, HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JDK", e);
        }
    }

    CompletableFuture<Object> run(RedisClusterAsyncCommands<String, String> redis, String[] keys, String... args) {
        return ScriptGate.of(redis, keys).run(this, redis, keys, args);
    }

    static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
