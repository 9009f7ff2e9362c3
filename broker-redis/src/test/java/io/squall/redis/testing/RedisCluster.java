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
            while (!masters.stream().allMatch(master -> master.cli("cluster", "info").contains("cluster_state:ok"))) {
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

    public static RedisCluster start() {
        return new RedisCluster(3);
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
