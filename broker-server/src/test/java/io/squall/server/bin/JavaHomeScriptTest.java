package io.squall.server.bin;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.server.config.ReadmeConfigTableTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/java-home}, run by bash over a directory of fake JDKs ({@code SQUALL_JVM_DIR}): it picks a JDK 21+ and,
 * where there is none (Debian 12 ships only 17), says how to get one.
 */
class JavaHomeScriptTest {
    @TempDir
    Path jvms;

    record Run(int exit, String out, String err) {}

    private Run javaHome(Map<String, String> env) throws IOException, InterruptedException {
        Path root = ReadmeConfigTableTest.projectRoot();
        ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("bin/java-home").toString());
        builder.environment().remove("JAVA_HOME");
        builder.environment().put("SQUALL_JVM_DIR", jvms.toString());
        builder.environment().putAll(env);
        Path out = jvms.resolveSibling("java-home.out");
        Path err = jvms.resolveSibling("java-home.err");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int exit = process.waitFor();
        return new Run(exit, Files.readString(out, StandardCharsets.UTF_8).trim(),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** A directory that looks like a JDK of {@code version} to the script: bin/javac and a release file. */
    private Path jdk(String name, String version) throws IOException {
        Path home = Files.createDirectories(jvms.resolve(name));
        Path javac = Files.createDirectories(home.resolve("bin")).resolve("javac");
        Files.writeString(javac, "#!/bin/sh\n");
        assertThat(javac.toFile().setExecutable(true)).isTrue();
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }

    @Test
    void with_only_a_jdk_17_it_fails_and_says_how_to_get_a_jdk_21() throws Exception {
        jdk("java-17-openjdk-amd64", "17.0.13");
        Run run = javaHome(Map.of());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("no JDK 21 or later found", "apt-get install openjdk-21-jdk-headless",
                "Debian 12 (ships only 17)", "https://adoptium.net/installation/linux/", "JAVA_HOME");
    }

    @Test
    void it_picks_the_newest_jdk_21_or_later_and_prefers_a_suitable_java_home() throws Exception {
        jdk("java-17-openjdk-amd64", "17.0.13");
        Path jdk21 = jdk("temurin-21-jdk-amd64", "21.0.5");
        Path jdk25 = jdk("temurin-25-jdk-amd64", "25.0.1");
        assertThat(javaHome(Map.of()).out()).isEqualTo(jdk25.toString());
        assertThat(javaHome(Map.of("JAVA_HOME", jdk21.toString())).out()).isEqualTo(jdk21.toString());
        assertThat(javaHome(Map.of("JAVA_HOME", jvms.resolve("java-17-openjdk-amd64").toString())).out())
                .as("a JAVA_HOME older than 21 is passed over").isEqualTo(jdk25.toString());
    }
}
