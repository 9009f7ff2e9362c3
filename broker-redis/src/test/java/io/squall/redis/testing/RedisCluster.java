package io.squall.redis.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * A real 3-master Redis Cluster (no replicas) on free loopback ports, made with
 * {@code redis-cli --cluster create ... --cluster-yes}. Always close it.
 */
public final class RedisCluster implements AutoCloseable {
    private final List<RedisServer> masters = new ArrayList<>();

    private RedisCluster(int size) {
        try {
            for (int i = 0; i < size; i++) {
                masters.add(RedisServer.startWith(List.of("--cluster-enabled", "yes", "--cluster-config-file",
                        "nodes.conf", "--cluster-node-timeout", "5000")));
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            masters.forEach(master -> create.add("127.0.0.1:" + master.port()));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            String output = RedisServer.run(create);
            long deadline = System.currentTimeMillis() + 20_000;
            while (!masters.stream().allMatch(master -> settled(master, size))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("cluster did not become ok: " + output);
                }
                RedisServer.sleep(50);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The node says ok and sees every master connected (clients read the topology from any node). */
    private static boolean settled(RedisServer master, int size) {
        if (!master.cli("cluster", "info").contains("cluster_state:ok")) {
            return false;
        }
        List<String> nodes = master.cli("cluster", "nodes").lines().toList();
        return nodes.size() == size && nodes.stream().allMatch(line -> line.contains(" connected ")
                && !line.contains("handshake") && !line.contains("noaddr"));
    }

    public static RedisCluster start() {
        return new RedisCluster(3);
    }

    /** The master owning {@code slot} now, as the first master sees it. */
    public RedisServer owner(int slot) {
        for (String line : masters.get(0).cli("cluster", "nodes").lines().toList()) {
            String[] fields = line.split(" ");
            for (int i = 8; i < fields.length; i++) {
                if (fields[i].startsWith("[")) {
                    continue;
                }
                String[] range = fields[i].split("-");
                int from = Integer.parseInt(range[0]);
                int to = Integer.parseInt(range[range.length - 1]);
                if (slot >= from && slot <= to) {
                    int port = Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1, fields[1].indexOf('@')));
                    return masters.stream().filter(master -> master.port() == port).findFirst().orElseThrow();
                }
            }
        }
        throw new IllegalStateException("no master owns slot " + slot);
    }

    /**
     * Moves an empty slot to {@code target} the way a resharding does (IMPORTING, MIGRATING, then NODE on every
     * master), so clients subscribed to its shard channels on the old owner are unsubscribed by the server.
     */
    public void moveEmptySlot(int slot, RedisServer target) {
        RedisServer source = owner(slot);
        String sourceId = source.cli("cluster", "myid");
        String targetId = target.cli("cluster", "myid");
        String number = Integer.toString(slot);
        target.cli("cluster", "setslot", number, "importing", sourceId);
        source.cli("cluster", "setslot", number, "migrating", targetId);
        target.cli("cluster", "setslot", number, "node", targetId);
        source.cli("cluster", "setslot", number, "node", targetId);
        masters.stream().filter(master -> master != source && master != target)
                .forEach(master -> master.cli("cluster", "setslot", number, "node", targetId));
    }

    public List<RedisServer> masters() {
        return List.copyOf(masters);
    }

    /** Every master's URI: any of them lets a client discover the cluster. */
    public List<String> uris() {
        return masters.stream().map(RedisServer::uri).toList();
    }

    @Override
    public void close() {
        masters.forEach(RedisServer::close);
    }
}
