package io.squall.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real shaded jar ({@code squall.jar}) in its own JVM, its stdout and stderr going to temp files. */
public final class JarProcess implements AutoCloseable {
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private JarProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code java -jar squall.jar args...} with the current environment minus every {@code SQUALL_*}, plus {@code env}. */
    public static JarProcess start(Map<String, String> env, String... args) {
        return launch(List.of("-jar", jar().toString()), env, args);
    }

    /** Starts another entry point of the jar: {@code java -cp squall.jar mainClass args...}. */
    public static JarProcess startMain(String mainClass, Map<String, String> env, String... args) {
        return launch(List.of("-cp", jar().toString(), mainClass), env, args);
    }

    /**
     * Starts {@code prefix... java jvmOptions... -jar jar args...}. A prefix such as
     * {@code bash -c 'ulimit -n 512; exec "$0" "$@"'} runs the broker under a lower descriptor limit; {@code exec}
     * keeps the process id, so {@link #process()} is the broker's JVM itself.
     */
    public static JarProcess startJar(List<String> prefix, List<String> jvmOptions, Path jar, Map<String, String> env,
            String... args) {
        List<String> javaArgs = new ArrayList<>(jvmOptions);
        javaArgs.addAll(List.of("-jar", jar.toString()));
        return launch(prefix, javaArgs, env, args);
    }

    private static JarProcess launch(List<String> javaArgs, Map<String, String> env, String... args) {
        return launch(List.of(), javaArgs, env, args);
    }

    private static JarProcess launch(List<String> prefix, List<String> javaArgs, Map<String, String> env,
            String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.add(javaBinary());
        command.addAll(javaArgs);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("SQUALL_"));
        builder.environment().putAll(env);
        try {
            // files, not pipes: the JDK drains a pipe into a buffer when the process exits, racing a reader thread
            Path out = Files.createTempFile("squall-stdout", ".log");
            Path err = Files.createTempFile("squall-stderr", ".log");
            builder.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
            return new JarProcess(builder.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    public static Path jar() {
        String property = System.getProperty("squall.jar");
        if (property == null) {
            throw new IllegalStateException("system property squall.jar is not set (run through failsafe)");
        }
        Path jar = Path.of(property);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no jar at " + jar + " (run mvn package first)");
        }
        return jar;
    }

    public static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** A port that was free a moment ago. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (bounded) for a stdout line matching {@code regex} and returns its match. */
    public Matcher awaitLine(String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<Matcher> found = stdout().stream().map(pattern::matcher).filter(Matcher::find).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            if (!process.isAlive()) {
                found = stdout().stream().map(pattern::matcher).filter(Matcher::find).findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
                throw new AssertionError("exited with " + process.exitValue() + " before printing /" + regex + "/\n"
                        + output());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no line /" + regex + "/ within " + timeout + "\n" + output());
            }
            TestBroker.sleep(10);
        }
    }

    /** Waits (bounded) for the process to exit; returns the exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("still running after " + timeout + "\n" + output());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return process.exitValue();
    }

    public Process process() {
        return process;
    }

    /** The complete lines written to stdout so far. */
    public List<String> stdout() {
        return lines(stdout);
    }

    public List<String> stderr() {
        return lines(stderr);
    }

    private static List<String> lines(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n", -1));
    }

    /** Both streams, for failure messages. */
    public String output() {
        return "--- stdout\n" + String.join("\n", stdout()) + "\n--- stderr\n" + String.join("\n", stderr());
    }

    /** Kills the process if a test left it running, and deletes the output files. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        } catch (IOException ignored) {
            // temp files: the OS cleans up
        }
    }
}
