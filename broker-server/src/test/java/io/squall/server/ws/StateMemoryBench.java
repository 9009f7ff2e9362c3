package io.squall.server.ws;

import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Heap per connection under the state attack (not a test): {@code connections} clients each send
 * {@code subscriptions} subscribes with channel names of {@code nameBytes} bytes, then the broker's heap after GC is
 * compared with the same clients idle. Run with {@code bin/squall-state-bench [connections [subscriptions
 * [nameBytes [flag...]]]]}, e.g. {@code 50 128 60000 max.key.bytes=64KiB max.connection.state.bytes=16MiB} for the
 * limits of before (counts only), or {@code 50 128 1024} for the defaults. Broker and clients share the JVM;
 * the clients' own memory is in the baseline, and the replies they keep are a few bytes each.
 */
public final class StateMemoryBench {
    private StateMemoryBench() {}

    public static void main(String[] args) throws InterruptedException {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int subscriptions = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int nameBytes = args.length > 2 ? Integer.parseInt(args[2]) : 60_000;
        String[] flags = args.length > 3 ? java.util.Arrays.copyOfRange(args, 3, args.length) : new String[0];
        try (TestBroker broker = TestBroker.start(flags)) {
            List<WsTestClient> clients = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                clients.add(broker.connect());
            }
            long idle = heapAfterGc();
            int accepted = 0;
            for (int c = 0; c < connections; c++) {
                WsTestClient client = clients.get(c);
                for (int s = 0; s < subscriptions; s++) {
                    String prefix = c + "/" + s + "/";
                    client.send("{\"service\":\"pubsub\",\"message\":{\"command\":\"subscribe\",\"params\":{\"channel\":\""
                            + prefix + "x".repeat(Math.max(0, nameBytes - prefix.length())) + "\"},\"callId\":" + s + "}}");
                }
                for (int s = 0; s < subscriptions; s++) {
                    if (client.nextText().contains("\"response\"")) {
                        accepted++;
                    }
                }
            }
            long loaded = heapAfterGc();
            double stateBytes = broker.server().meters().get("broker.connection.state.bytes").gauge().value();
            clients.forEach(WsTestClient::close);
            broker.awaitNoClients();
            long closed = heapAfterGc();
            System.out.printf(Locale.ROOT, "connections=%d subscriptions asked=%d accepted=%d (%.1f per connection) "
                    + "name=%d bytes, flags=%s%n", connections, connections * subscriptions, accepted,
                    accepted / (double) connections, nameBytes, String.join(" ", flags));
            System.out.printf(Locale.ROOT, "heap idle=%.1f MiB loaded=%.1f MiB after close=%.1f MiB%n",
                    idle / 1048576.0, loaded / 1048576.0, closed / 1048576.0);
            System.out.printf(Locale.ROOT, "state budget held=%.0f KiB per connection; heap per connection=%.1f KiB%n",
                    stateBytes / connections / 1024, (loaded - idle) / (double) connections / 1024);
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(200);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
