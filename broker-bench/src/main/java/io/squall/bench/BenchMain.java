package io.squall.bench;

import io.netty.util.ResourceLeakDetector;
import io.squall.bench.cost.Flooder;
import io.squall.bench.net.WsConnector;
import io.squall.bench.proto.Endpoints;
import io.squall.bench.proto.MqttProtocol;
import io.squall.bench.proto.NatsProtocol;
import io.squall.bench.proto.Protocol;
import io.squall.bench.proto.SquallProtocol;
import io.squall.bench.report.ReportMain;
import io.squall.bench.scenario.Attempt;
import io.squall.bench.scenario.ClusterConnections;
import io.squall.bench.scenario.FanOut;
import io.squall.bench.scenario.GeneratorCostBench;
import io.squall.bench.scenario.HttpIngest;
import io.squall.bench.scenario.Idle;
import io.squall.bench.scenario.IdleHelper;
import io.squall.bench.scenario.Ingest;
import io.squall.bench.scenario.ManyChannels;
import io.squall.bench.scenario.Recovery;
import io.squall.bench.scenario.ResultSink;
import io.squall.bench.scenario.RunContext;
import io.squall.bench.stats.ServerProbe;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load generator's command line (bin/bench drives it):
 * <pre>
 * run broker=squall|nats|mosquitto scenario=fanout|channels|idle|ingest sub-url=ws://127.0.0.1:... [...]
 * run ... scenario=cluster|connections|history|recovery|regression [sub-urls=URL,URL,URL] [label=NAME]
 *     [variant=TEXT] [round=N] [server-pids=PID,...]   (the Cluster section's scenarios; see bin/bench)
 * idle-helper broker=... sub-url=...          (the idle scenario's second process; started by run)
 * report results=FILE out=docs/benchmarks.md  (the table and chart)
 * flood port=9100 connections=1000 burst=1 [rate=ROUNDS_PER_S] seconds=20   (stand-in broker, see below)
 * cost port=9100 connections=1000 warmup=3 seconds=10   (the generator's receive cost: GeneratorCostBench)
 * </pre>
 */
public final class BenchMain {
    private static final Logger log = LoggerFactory.getLogger(BenchMain.class);

    private BenchMain() {}

    public static void main(String[] args) throws IOException {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            // sampled leak tracking wraps inbound buffers; the generator's receive path is measured, not debugged
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        if (args.length == 0) {
            log.error("usage: run|idle-helper|report key=value ... (see bin/bench)");
            System.exit(2);
        }
        Args options = new Args(args, 1);
        switch (args[0]) {
            case "run" -> run(options);
            case "idle-helper" -> IdleHelper.serve(protocol(options), endpoints(options),
                    options.strings("sources", "127.0.0.10,127.0.0.11,127.0.0.12,127.0.0.13"),
                    new FileInputStream(FileDescriptor.in));
            case "report" -> ReportMain.write(options.required("results"), options::optional);
            case "flood" -> flood(options);
            case "cost" -> GeneratorCostBench.report(GeneratorCostBench.measure(options.integer("port", 9100),
                    options.integer("connections", 1000), options.seconds("warmup", 3).toMillis() / 1000.0,
                    options.seconds("seconds", 10).toMillis() / 1000.0));
            default -> {
                log.error("unknown command {}", args[0]);
                System.exit(2);
            }
        }
        System.exit(0);
    }

    private static void flood(Args options) throws IOException {
        Flooder flooder = new Flooder(options.integer("connections", 1000), options.integer("burst", 1),
                options.integer("payload", 72), Double.parseDouble(options.string("rate", "0")));
        try (ServerSocketChannel server = Flooder.listen(options.integer("port", 9100))) {
            flooder.accept(server);
            log.info("flooding {} connections", options.integer("connections", 1000));
            flooder.flood(System.nanoTime() + options.seconds("seconds", 20).toNanos());
        } finally {
            flooder.close();
        }
    }

    static Protocol protocol(Args options) {
        return switch (options.required("broker")) {
            case "squall" -> new SquallProtocol();
            case "nats" -> new NatsProtocol();
            case "mosquitto" -> new MqttProtocol();
            default -> throw new IllegalArgumentException("broker must be squall, nats or mosquitto");
        };
    }

    static Endpoints endpoints(Args options) {
        var subscribers = options.loopbackUri("sub-url").orElseThrow(() -> new IllegalArgumentException("sub-url"));
        return new Endpoints(subscribers, options.loopbackUri("pub-url").orElse(subscribers),
                options.loopbackUri("http-url"), options.optional("key"), options.loopbackUris("sub-urls"));
    }

    private static void run(Args options) {
        Protocol protocol = protocol(options);
        String scenario = options.required("scenario");
        ServerProbe probe = new ServerProbe(options.number("server-pid", 0), options.optional("jcmd"),
                options.loopbackUri("metrics-url"), options.numbers("server-pids"));
        ResultSink sink = new ResultSink(options.optional("out").map(Path::of).orElse(null),
                options.optional("label").orElse(null), options.optional("variant").orElse(null),
                options.optional("round").map(Integer::valueOf).orElse(null));
        boolean ok = true;
        try (WsConnector connector = new WsConnector(options.strings("sources",
                "127.0.0.2,127.0.0.3,127.0.0.4,127.0.0.5,127.0.0.6,127.0.0.7,127.0.0.8,127.0.0.9"))) {
            log.info("generator: pid {}, Netty {} transport", ProcessHandle.current().pid(), WsConnector.transport());
            RunContext context = new RunContext(protocol, endpoints(options), connector, probe, sink,
                    options.seconds("step", 10), options.seconds("drain", 5), options.seconds("warmup", 3));
            switch (scenario) {
                case "fanout" -> {
                    for (int subscribers : options.integers("subscribers", "1000,10000")) {
                        for (int payload : options.integers("payloads", "100,1024")) {
                            ok &= Attempt.run(context, scenario, subscribers, payload, () -> FanOut.run(context,
                                    subscribers, payload, options.doubles("rates",
                                            "50000,100000,200000,400000,800000,1600000")));
                        }
                    }
                }
                case "channels" -> {
                    int connections = options.integer("connections", 10000);
                    int payload = options.integer("payload", 100);
                    ok = Attempt.run(context, scenario, connections, payload, () -> ManyChannels.run(context,
                            connections, payload, options.doubles("rates", "20000,50000,100000,200000,400000")));
                }
                case "idle" -> ok = Attempt.run(context, scenario, null, null, () -> Idle.run(context,
                        options.integers("idle-steps", "1000,5000,10000,19000"), options.integer("per-process", 9500),
                        () -> startHelper(options, options.optional("helper-sources").orElse(null))));
                case "ingest" -> {
                    int payload = options.integer("payload", 100);
                    int batch = options.integer("batch", 100);
                    ok = Attempt.run(context, scenario, 1, payload,
                            () -> Ingest.run(context, payload, batch, options.integer("window", 8)));
                    if (context.endpoints().backendHttp().isPresent()) {
                        int connections = options.integer("http-connections", 4);
                        ok &= Attempt.run(context, scenario, connections, payload,
                                () -> HttpIngest.run(context, payload, batch, connections));
                    }
                }
                case "cluster", "regression" -> {
                    for (int subscribers : options.integers("subscribers", "1000")) {
                        int payload = options.integer("payload", 100);
                        ok &= Attempt.run(context, scenario, subscribers, payload, () -> FanOut.run(context, scenario,
                                subscribers, payload, options.doubles("rates", "50000,100000,200000,400000")));
                    }
                }
                case "connections" -> {
                    long[] pids = options.numbers("node-pids");
                    List<Optional<URI>> metrics = options.loopbackUris("metrics-urls").stream().map(Optional::of)
                            .toList();
                    List<ServerProbe> nodes = new ArrayList<>();
                    for (int i = 0; i < pids.length; i++) {
                        nodes.add(probe.forNode(pids[i], i < metrics.size() ? metrics.get(i) : Optional.empty()));
                    }
                    int perProcess = options.integer("per-process", 18000);
                    ok = Attempt.run(context, scenario, options.integer("total", 55000), null, () ->
                            ClusterConnections.run(context, nodes, options.integer("total", 55000), perProcess,
                                    options.seconds("hold", 30), k -> startHelper(options,
                                            "127.0." + (10 + k) + ".1,127.0." + (10 + k) + ".2,127.0." + (10 + k)
                                                    + ".3")));
                }
                case "history" -> {
                    int payload = options.integer("payload", 100);
                    ok = Attempt.run(context, scenario, 1, payload, () -> Ingest.run(context, scenario,
                            options.string("channel", "bench:ingest"), payload, options.integer("batch", 100),
                            options.integer("window", 8)));
                }
                case "recovery" -> {
                    for (int channels : options.integers("recovery-channels", "1000")) {
                        ok &= Attempt.run(context, scenario, options.integer("clients", 1000), 100, () ->
                                Recovery.run(context, options.integer("clients", 1000), channels,
                                        options.integer("publications", 100), options.integer("payload", 100),
                                        options.string("prefix", "bench:r"),
                                        Recovery.NodeControl.script(Path.of(options.required("control")))));
                    }
                }
                default -> throw new IllegalArgumentException("scenario must be fanout, channels, idle, ingest, "
                        + "cluster, connections, history, recovery or regression");
            }
        } catch (RuntimeException e) {
            log.error("{} {} failed: {}", protocol.name(), scenario, e.getMessage(), e);
            ok = false;
        }
        if (!ok) {
            System.exit(1);
        }
    }

    /** Starts the idle scenario's second generator process: the same JVM and class path, the same broker. */
    private static IdleHelper.Remote startHelper(Args options, String sources) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                BenchMain.class.getName(), "idle-helper", "broker=" + options.required("broker"),
                "sub-url=" + options.required("sub-url")));
        options.optional("sub-urls").ifPresent(s -> command.add("sub-urls=" + s));
        if (sources != null) {
            command.add("sources=" + sources);
        }
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            return new IdleHelper.Remote(process);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the second generator process", e);
        }
    }
}
