package io.squall.server.bin;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.server.config.ReadmeConfigTableTest;
import io.squall.server.testing.Await;
import io.squall.server.testing.JarProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/squall-snap-demo} as a new user runs it, on the jar this build made ({@code SQUALL_JAR}, so it never
 * builds): with the port given as {@code --public.port N} (the space form) or as {@code SQUALL_PUBLIC_PORT}, the
 * live page's URL it prints names that port, and the page answers there. Ctrl-C (SIGTERM here) stops everything.
 */
@Timeout(180)
class SnapDemoScriptIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern URL = Pattern.compile("SNAP live page on (http://[^\\s\"]+/snap/)");

    @TempDir
    Path dir;

    @Test
    void the_space_form_of_public_port_gives_the_live_page_url_on_that_port() throws Exception {
        int port = JarProcess.freePort();
        int privatePort = JarProcess.freePort();
        demo(Map.of(), port, "--public.port", String.valueOf(port), "--private.port", String.valueOf(privatePort));
    }

    @Test
    void squall_public_port_gives_the_live_page_url_on_that_port() throws Exception {
        int port = JarProcess.freePort();
        int privatePort = JarProcess.freePort();
        demo(Map.of("SQUALL_PUBLIC_PORT", String.valueOf(port), "SQUALL_PRIVATE_PORT", String.valueOf(privatePort)),
                port);
    }

    private void demo(Map<String, String> env, int port, String... args) throws Exception {
        Path root = ReadmeConfigTableTest.projectRoot();
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("bin/squall-snap-demo").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("SQUALL_"));
        builder.environment().putAll(env);
        builder.environment().put("SQUALL_JAR", JarProcess.jar().toString());
        builder.environment().put("TMPDIR", dir.toString());
        Path log = dir.resolve("demo.log");
        Process demo = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String[] url = new String[1];
            Await.until("the demo prints the live page's URL", WAIT, () -> {
                Matcher found = URL.matcher(read(log));
                if (found.find()) {
                    url[0] = found.group(1);
                    return true;
                }
                if (!demo.isAlive()) {
                    throw new AssertionError("the demo exited: " + read(log));
                }
                return false;
            });
            assertThat(url[0]).as(read(log)).isEqualTo("http://localhost:" + port + "/snap/");
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url[0]))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("snap.js");
        } finally {
            stop(demo);
        }
    }

    /** SIGTERM, as Ctrl-C would: the script's trap stops socat, the simulator and the broker. */
    private static void stop(Process demo) throws InterruptedException {
        List<ProcessHandle> children = demo.descendants().toList();
        demo.destroy();
        boolean ended = demo.waitFor(30, TimeUnit.SECONDS);
        List<ProcessHandle> left = new ArrayList<>();
        for (ProcessHandle child : children) {
            if (child.isAlive() && !child.onExit().completeOnTimeout(child, 10, TimeUnit.SECONDS).isDone()) {
                left.add(child);
            }
        }
        left.removeIf(child -> !child.isAlive());
        left.forEach(ProcessHandle::destroyForcibly); // only what this test started
        if (!ended) {
            demo.destroyForcibly();
        }
        assertThat(ended).as("the demo stops on SIGTERM").isTrue();
        assertThat(left).as("processes the demo left running").isEmpty();
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
