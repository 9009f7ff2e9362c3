package io.squall.server.http;

import io.squall.core.Client;
import io.squall.core.error.CloseCode;
import io.squall.core.loop.Cancellable;
import io.squall.core.protocol.EncodedMessage;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * One backend HTTP request on the loop: one reply slot per envelope (one for a single envelope, n for a batch).
 * Each slot is a {@link Client} whose first frame fills it; when every slot is filled, or the deadline passes
 * (open slots then get a "Timeout" error), the response is written once. Loop thread only.
 */
final class BackendCall {
    private final EncodedMessage[] replies;
    private final Slot[] slots;
    private final boolean batch;
    private final String remote;
    private final Consumer<byte[]> respond;
    private int open;
    private boolean done;
    private Cancellable deadline;
    private IntFunction<EncodedMessage> timeoutReply;
    private Runnable onFinish = () -> {};

    BackendCall(int size, boolean batch, String remote, Consumer<byte[]> respond) {
        this.replies = new EncodedMessage[size];
        this.slots = new Slot[size];
        this.batch = batch;
        this.remote = remote;
        this.respond = respond;
        this.open = size;
    }

    /** The reply slot of envelope {@code index}: the same client every time it is asked for. */
    Client slot(int index) {
        Slot slot = slots[index];
        if (slot == null) {
            slot = new Slot(index);
            slots[index] = slot;
        }
        return slot;
    }

    int size() {
        return replies.length;
    }

    void deadline(Cancellable timer) {
        this.deadline = timer;
    }

    /** How to answer slot {@code index} if it is still open at {@link #expire}. */
    void expireWith(IntFunction<EncodedMessage> reply) {
        this.timeoutReply = reply;
    }

    /** Runs once, when the response has been handed over. */
    void onFinish(Runnable action) {
        this.onFinish = action;
    }

    /** Fills every open slot with its timeout reply and answers. */
    void expire() {
        if (done) {
            return;
        }
        for (int i = 0; i < replies.length; i++) {
            if (replies[i] == null) {
                replies[i] = timeoutReply.apply(i);
            }
        }
        open = 0;
        finish();
    }

    private void fill(int index, EncodedMessage message) {
        if (done || replies[index] != null) {
            return; // a slot takes the first frame only (as Snorky's HTTP client); late replies after a timeout land here
        }
        replies[index] = message;
        if (--open == 0) {
            finish();
        }
    }

    private void finish() {
        done = true;
        if (deadline != null) {
            deadline.cancel();
        }
        onFinish.run();
        respond.accept(body());
    }

    private byte[] body() {
        if (!batch) {
            return replies[0].bytes();
        }
        // sized once: no growing buffer and no final copy for a batch of hundreds of replies
        int size = 1 + replies.length;
        for (EncodedMessage reply : replies) {
            size += reply.size();
        }
        byte[] body = new byte[size];
        body[0] = '[';
        int at = 1;
        for (int i = 0; i < replies.length; i++) {
            if (i > 0) {
                body[at++] = ',';
            }
            byte[] reply = replies[i].bytes();
            System.arraycopy(reply, 0, body, at, reply.length);
            at += reply.length;
        }
        body[at] = ']';
        return body;
    }

    /** The reply slot for one envelope of the request. */
    private final class Slot implements Client {
        private final int index;

        Slot(int index) {
            this.index = index;
        }

        @Override
        public void send(EncodedMessage message) {
            fill(index, message);
        }

        @Override
        public String describe() {
            return "backend-http:" + remote + (batch ? "#" + index : "");
        }

        @Override
        public void close(CloseCode reason) {
            // one request, one response: nothing stays open to close
        }
    }
}
