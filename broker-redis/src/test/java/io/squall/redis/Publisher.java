package io.squall.redis;

import com.fasterxml.jackson.databind.node.IntNode;
import io.squall.core.broker.PublishOptions;
import io.squall.api.JsonKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Publishes {@code count} messages from one node's loop, keeping at most {@code window} unanswered. */
final class Publisher {
    private final Node node;
    private final JsonKey channel;
    private final PublishOptions options;
    private final int count;
    private final CompletableFuture<Long> done = new CompletableFuture<>();
    private int sent;
    private int answered;
    private long started;

    private Publisher(Node node, JsonKey channel, PublishOptions options, int count) {
        this.node = node;
        this.channel = channel;
        this.options = options;
        this.count = count;
    }

    /** Starts publishing; the future completes with the elapsed nanoseconds once every publish was answered. */
    static CompletableFuture<Long> start(Node node, JsonKey channel, PublishOptions options, int count, int window) {
        Publisher publisher = new Publisher(node, channel, options, count);
        node.loop.execute(() -> {
            publisher.started = System.nanoTime();
            for (int i = 0; i < window && publisher.sent < count; i++) {
                publisher.next();
            }
        });
        return publisher.done.orTimeout(60, TimeUnit.SECONDS);
    }

    private void next() {
        int value = sent++;
        node.broker.publish(channel, IntNode.valueOf(value), options, (result, failure) -> {
            if (failure != null) {
                done.completeExceptionally(failure);
                return;
            }
            answered++;
            if (answered == count) {
                done.complete(System.nanoTime() - started);
            } else if (sent < count) {
                next();
            }
        });
    }
}
