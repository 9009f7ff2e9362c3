package io.squall.server;

import io.squall.server.config.ConfigLoader;
import io.squall.server.config.ServerConfig;
import java.lang.management.ManagementFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar broker-server.jar [--key=value ...]}: starts the broker and stops it gracefully on SIGTERM. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.setProperty("org.jboss.logging.provider", "slf4j");
        ServerConfig config;
        try {
            config = ConfigLoader.load(args, System.getenv());
        } catch (IllegalArgumentException e) {
            LoggerFactory.getLogger(Main.class).error("configuration error: {}", e.getMessage());
            System.exit(2);
            return;
        }
        // read by logback.xml; set before the first logger is used below
        System.setProperty("squall.log.level", config.logLevel());
        Logger log = LoggerFactory.getLogger(Main.class);
        BrokerServer server;
        try {
            server = BrokerServer.start(config);
        } catch (IllegalArgumentException e) {
            // a key file named in the configuration is missing or wrong
            log.error("configuration error: {}", e.getMessage());
            System.exit(2);
            return;
        } catch (IllegalStateException e) {
            log.error("could not start: {}", e.getMessage());
            System.exit(1);
            return;
        } catch (RuntimeException e) {
            log.error("could not start: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "squall-shutdown"));
        long startedMillis = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        // heap and CPUs as the JVM sized them (in a container: from the cgroup's memory and CPU limits)
        log.info("Squall ready in {} ms (heap max {} MiB, {} CPUs)", startedMillis,
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
    }
}
