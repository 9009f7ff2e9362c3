package io.squall.core.cluster;

import io.squall.api.JsonKey;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Which channels have a subscriber on some node, decided where every node sees the same answer (Redis on the Redis
 * engine, this node's memory on the memory engine), so that "occupied" and "vacated" are reported once for the whole
 * cluster, each with a number ({@code seq}) that increases with every change of every channel: the order of the
 * changes of one channel, whichever node reported them. A node tells only its own transitions (its first local
 * subscriber of a channel, its last one leaving); a call repeated after a failure changes nothing twice. On the
 * loop; callbacks come back on it, with {@code BrokerUnavailableException} while the engine cannot be reached.
 */
public interface Occupancy {

    /** One channel's change: {@code service} and {@code channel} name it. */
    record Change(String service, JsonKey channel, long seq) {}

    /**
     * A change as the engine keeps it for delivery in order: {@code occupied} or {@code vacated}, reported by
     * {@code node} at {@code time} (epoch ms); {@code id} is its place in its partition.
     */
    record Entry(String id, boolean occupied, long seq, String service, JsonKey channel, String node, long time) {}

    /**
     * How many partitions the engine keeps the changes in, each channel's in one, in the channel's order, for one
     * node at a time to deliver ({@link #read}, {@link #delete}); 0: it keeps none, each node reports its own.
     */
    default int partitions() {
        return 0;
    }

    /** How many changes were not kept since the engine's data began, every partition being full: 0 normally. */
    default void dropped(BiConsumer<Long, Throwable> onLoop) {
        onLoop.accept(0L, null);
    }

    /** The partition {@code channel}'s changes are kept in. */
    default int partitionOf(String service, JsonKey channel) {
        return 0;
    }

    /** Up to {@code count} changes of {@code partition} after {@code after} (null: from the oldest), in order. */
    default void read(int partition, String after, int count, BiConsumer<List<Entry>, Throwable> onLoop) {
        onLoop.accept(List.of(), null);
    }

    /** Forgets delivered changes. */
    default void delete(int partition, List<String> ids, BiConsumer<Void, Throwable> onLoop) {
        onLoop.accept(null, null);
    }

    /** This node holds {@code channel} now; {@code onLoop} gets its seq if it was held by no node before, else 0. */
    void enter(String service, JsonKey channel, BiConsumer<Long, Throwable> onLoop);

    /** This node holds it no more; {@code onLoop} gets its seq if no node holds it now, else 0. */
    void leave(String service, JsonKey channel, BiConsumer<Long, Throwable> onLoop);

    /**
     * {@code node} holds nothing any more (it was found dead, or it starts again under the same id): the channels
     * that no node holds now. Of several nodes doing this for the same dead node, one gets them, the others none.
     */
    void releaseNode(String node, BiConsumer<List<Change>, Throwable> onLoop);

    /** One node's occupancy: its own transitions are the cluster's. Loop only. */
    static Occupancy local() {
        return new Occupancy() {
            private long seq;

            @Override
            public void enter(String service, JsonKey channel, BiConsumer<Long, Throwable> onLoop) {
                onLoop.accept(++seq, null);
            }

            @Override
            public void leave(String service, JsonKey channel, BiConsumer<Long, Throwable> onLoop) {
                onLoop.accept(++seq, null);
            }

            @Override
            public void releaseNode(String node, BiConsumer<List<Change>, Throwable> onLoop) {
                onLoop.accept(List.of(), null);
            }
        };
    }
}
