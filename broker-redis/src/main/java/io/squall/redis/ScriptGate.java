package io.squall.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.squall.core.broker.BrokerUnavailableException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps script calls in call order on one connection (in a cluster: on one slot, as calls of different slots may go
 * to different masters), also when Redis lost its scripts (restarted empty, failed over, {@code SCRIPT FLUSH}).
 *
 * <p>Calls are pipelined. A call sent by SHA that comes back NOSCRIPT did not run and must be sent again, with the
 * script's text; resent at once, it would be overtaken by later calls already sent that run once the first resend
 * loaded the script. So after a NOSCRIPT, new calls wait here (a bounded queue) until every call already sent has
 * come back; then the NOSCRIPT ones are sent again, in their order, then the waiting ones, all with their text (EVAL
 * never meets NOSCRIPT); a script goes by SHA again once an EVAL of it was answered. Before a script's first
 * answer on a connection its calls go as EVAL, so its first use meets no NOSCRIPT at all.
 *
 * <p>Another client may load the script between two of this connection's calls (another node's resend): then a
 * later call runs while an earlier one met NOSCRIPT. Sending the earlier one again would run it out of order, so
 * it fails instead ({@code Unavailable}: it did not run, the caller may retry), the only cost of keeping order.
 */
final class ScriptGate {
    private static final Logger log = LoggerFactory.getLogger(ScriptGate.class);
    /** bounds what waits for a reload: calls, and the characters of their arguments */
    static final int MAX_WAITING_CALLS = 10_000;
    static final long MAX_WAITING_CHARS = 16L << 20;
    private static final int NO_SLOT = -1;
    /** per connection (its commands object, as long as it lives), then per slot; guarded by itself */
    private static final Map<Object, Map<Integer, ScriptGate>> GATES = new WeakHashMap<>();

    /** One call, kept until it is answered. */
    private record Call(LuaScript script, RedisClusterAsyncCommands<String, String> redis, String[] keys,
            String[] args, long chars, CompletableFuture<Object> result) {}

    // all guarded by this
    /** scripts an EVAL was answered for, since the latest NOSCRIPT: these go by SHA */
    private final Set<LuaScript> loaded = new HashSet<>();
    private int inFlight;
    /** a NOSCRIPT came back: new calls wait until {@link #inFlight} is 0 */
    private boolean blocked;
    /** calls that met NOSCRIPT, in the order they were sent */
    private final List<Call> resend = new ArrayList<>();
    private final ArrayDeque<Call> waiting = new ArrayDeque<>();
    private long waitingChars;

    static ScriptGate of(RedisClusterAsyncCommands<String, String> redis, String[] keys) {
        int slot = redis instanceof RedisAdvancedClusterAsyncCommands && keys.length > 0
                ? SlotHash.getSlot(keys[0]) : NO_SLOT;
        synchronized (GATES) {
            return GATES.computeIfAbsent(redis, ignored -> new HashMap<>())
                    .computeIfAbsent(slot, ignored -> new ScriptGate());
        }
    }

    CompletableFuture<Object> run(LuaScript script, RedisClusterAsyncCommands<String, String> redis, String[] keys,
            String[] args) {
        long chars = 0;
        for (String arg : args) {
            chars += arg.length();
        }
        Call call = new Call(script, redis, keys, args, chars, new CompletableFuture<>());
        synchronized (this) {
            if (!blocked) {
                send(call);
            } else if (waiting.size() >= MAX_WAITING_CALLS || waitingChars + chars > MAX_WAITING_CHARS) {
                call.result.completeExceptionally(new BrokerUnavailableException(
                        "redis: too many script calls waiting for Redis to get its scripts back"));
            } else {
                waiting.add(call);
                waitingChars += chars;
            }
        }
        return call.result;
    }

    /** Caller holds this. */
    private void send(Call call) {
        boolean bySha = loaded.contains(call.script);
        inFlight++;
        CompletionStage<Object> reply;
        try {
            reply = bySha
                    ? call.redis.evalsha(call.script.sha(), ScriptOutputType.MULTI, call.keys, call.args)
                    : call.redis.eval(call.script.text(), ScriptOutputType.MULTI, call.keys, call.args);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete((value, failure) -> answered(call, bySha, value, failure));
    }

    /** On a Lettuce thread, in the order Redis answered (its order of running them). */
    private synchronized void answered(Call call, boolean bySha, Object value, Throwable failure) {
        inFlight--;
        Throwable cause = failure == null ? null : LuaScript.unwrap(failure);
        if (cause instanceof RedisNoScriptException) {
            loaded.clear(); // a Redis that lost one script lost them all
            blocked = true;
            resend.add(call);
        } else {
            if (!resend.isEmpty()) {
                overtaken();
            }
            if (cause != null) {
                call.result.completeExceptionally(cause);
            } else {
                if (!bySha) {
                    loaded.add(call.script);
                }
                call.result.complete(value);
            }
        }
        if (blocked && inFlight == 0) {
            release();
        }
    }

    /** A call sent after the ones in {@link #resend} ran (or failed) first: they fail rather than run late. */
    private void overtaken() {
        log.warn("redis: {} script call(s) met NOSCRIPT and were overtaken by a later call (the script was loaded "
                + "meanwhile by another client); answered unavailable rather than run out of order", resend.size());
        for (Call call : resend) {
            call.result.completeExceptionally(new BrokerUnavailableException(
                    "redis: the script was missing (NOSCRIPT) and a later call ran first; this call did not run"));
        }
        resend.clear();
    }

    /** Every call sent before the NOSCRIPT came back: resend, then the waiting calls, in order. Caller holds this. */
    private void release() {
        List<Call> next = new ArrayList<>(resend.size() + waiting.size());
        next.addAll(resend);
        next.addAll(waiting);
        log.debug("redis: scripts missing (NOSCRIPT): {} call(s) sent again, {} held back, in order", resend.size(),
                waiting.size());
        resend.clear();
        waiting.clear();
        waitingChars = 0;
        blocked = false;
        next.forEach(this::send); // by text, unless an EVAL answered since: NOSCRIPT cannot come back between them
    }
}
