package io.squall.server.abuse;

import io.squall.server.testing.JarProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JDK's own tools run against the broker's pid: {@code jcmd} (a full GC) and {@code jstat} (heap in use, read
 * from the JVM's performance counters without stopping it, so it still answers for a broker that has stopped
 * answering anything else).
 */
final class JvmTools {
    private static final Pattern HEAP_INFO_USED = Pattern.compile("(?m)^.*\\btotal\\b.*?\\bused (\\d+)K");

    private JvmTools() {}

    /** {@code $JAVA_HOME/bin/tool}, the JDK running this harness. */
    static String tool(String name) {
        return Path.of(JarProcess.javaBinary()).resolveSibling(name).toString();
    }

    /** Runs a JDK tool; its output, or empty when it failed or did not finish within {@code timeout}. */
    static Optional<String> run(Duration timeout, String name, String... args) {
        List<String> command = new ArrayList<>(List.of(tool(name)));
        command.addAll(Arrays.asList(args));
        Process process = null;
        Path output = null;
        try {
            // into a file, so a tool that hangs (attaching to a wedged JVM) cannot hold this thread past the timeout
            output = Files.createTempFile("squall-abuse-tool", ".txt");
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
                return Optional.empty();
            }
            return Optional.of(Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
            deleteQuietly(output);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temp file: the OS cleans up
            }
        }
    }

    /**
     * A full GC, then the heap in use ({@code jcmd PID -f} with {@code GC.run} and {@code GC.heap_info}: one attach),
     * in bytes; -1 when unknown.
     */
    static long heapAfterGc(long pid) {
        Path commands;
        try {
            commands = Files.createTempFile("squall-abuse-jcmd", ".txt");
            Files.writeString(commands, "GC.run\nGC.heap_info\n");
        } catch (IOException e) {
            return -1;
        }
        try {
            return run(Duration.ofSeconds(30), "jcmd", String.valueOf(pid), "-f", commands.toString())
                    .map(JvmTools::heapInfoUsed).orElse(-1L);
        } finally {
            deleteQuietly(commands);
        }
    }

    /**
     * The heap in use from {@code GC.heap_info}: the sum of the "used" of its "total" lines (G1's one heap line, or
     * each generation's for Serial and Parallel), in bytes; -1 when there is none.
     */
    static long heapInfoUsed(String heapInfo) {
        Matcher used = HEAP_INFO_USED.matcher(heapInfo);
        long kib = 0;
        boolean found = false;
        while (used.find()) {
            kib += Long.parseLong(used.group(1));
            found = true;
        }
        return found ? kib * 1024 : -1;
    }

    /** Heap in use from a {@code jstat -gc} header and one of its rows, in bytes; -1 when it does not parse. */
    static long heapUsed(String header, String row) {
        List<String> names = Arrays.asList(header.trim().split("\\s+"));
        String[] values = row.trim().split("\\s+");
        double kib = 0;
        for (String column : List.of("S0U", "S1U", "EU", "OU")) {
            int index = names.indexOf(column);
            if (index < 0 || index >= values.length) {
                return -1;
            }
            try {
                kib += Double.parseDouble(values[index]);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return (long) (kib * 1024);
    }
}
