package io.squall.bench.scenario;

import io.netty.buffer.ByteBuf;
import io.squall.bench.net.Listener;
import io.squall.bench.net.WsConnection;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acks, errors and closes of a group of connections, readable from any thread. Deliveries are ignored here
 * ({@link DeliveryRecorder} records them).
 */
class Counters implements Listener {
    private static final Logger log = LoggerFactory.getLogger(Counters.class);

    final AtomicLong acks = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong closed = new AtomicLong();
    private volatile String firstError;

    @Override
    public void delivered(ByteBuf buf, int from, int to) {
        // not counted here
    }

    @Override
    public void acked(WsConnection connection) {
        acks.incrementAndGet();
    }

    @Override
    public void failed(WsConnection connection, String error) {
        if (errors.getAndIncrement() == 0) {
            firstError = error;
            log.warn("  first error from the broker: {}", error);
        }
    }

    @Override
    public void closed(WsConnection connection) {
        closed.incrementAndGet();
    }

    String firstError() {
        return firstError;
    }
}
