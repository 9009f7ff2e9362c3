package io.squall.server.abuse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/abuse}: runs the abuse suite's attacks as a harness and prints a Markdown table of figures, one row per
 * attack and build. Each attack gets a broker of its own; a broker that dies or stops answering is reported so and
 * the run goes on.
 *
 * <pre>
 * AbuseMain [ATTACK|all] [--seconds N] [--heap 128m] [--jar PATH]... [--label NAME]...
 * </pre>
 * Several {@code --jar} compare builds (each attack runs against each jar in turn); {@code --label} names them in the
 * table, in the same order (default: the jar's file name).
 */
public final class AbuseMain {
    private AbuseMain() {}

    public static void main(String[] args) {
        String which = "all";
        int seconds = 15;
        String heap = "128m";
        List<Path> jars = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--heap" -> heap = args[++i];
                case "--jar" -> jars.add(Path.of(args[++i]));
                case "--label" -> labels.add(args[++i]);
                default -> {
                    if (args[i].startsWith("--")) {
                        usage("unknown option " + args[i]);
                    }
                    which = args[i];
                }
            }
        }
        if (!which.equals("all") && !AbuseRun.ATTACKS.containsKey(which)) {
            usage("unknown attack " + which + " (attacks: all, " + String.join(", ", AbuseRun.ATTACKS.keySet()) + ")");
        }
        if (jars.isEmpty()) {
            usage("no --jar given");
        }
        for (Path jar : jars) {
            if (!Files.isRegularFile(jar)) {
                usage("no jar at " + jar);
            }
        }
        List<String> attacks = which.equals("all") ? List.copyOf(AbuseRun.ATTACKS.keySet()) : List.of(which);
        List<Figures> rows = new ArrayList<>();
        for (String attack : attacks) {
            for (int j = 0; j < jars.size(); j++) {
                String label = j < labels.size() ? labels.get(j) : jars.get(j).getFileName().toString();
                System.err.println("abuse: " + attack + " against " + label + ", " + seconds + " s, -Xmx" + heap);
                Figures figures = AbuseRun.run(attack, label, jars.get(j), heap, Duration.ofSeconds(seconds),
                        List.of());
                System.err.println(figures.row());
                rows.add(figures);
            }
        }
        System.out.println();
        System.out.println("Each attack " + seconds + " s against a broker started with -Xmx" + heap
                + " (fd-exhaustion: ulimit -n " + DescriptorExhaustion.DESCRIPTOR_LIMIT + ").\n");
        System.out.print(Figures.table(rows));
    }

    private static void usage(String problem) {
        System.err.println("abuse: " + problem);
        System.err.println("usage: bin/abuse [ATTACK|all] [--seconds N] [--heap 128m] [--jar PATH [--label NAME]]...");
        System.exit(2);
    }
}
