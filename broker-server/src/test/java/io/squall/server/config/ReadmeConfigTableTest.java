package io.squall.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The README's configuration table and {@link Setting} describe the same keys, variables and defaults. */
public class ReadmeConfigTableTest {
    /** {@code | `key` | `ENV` | `default` or (empty) | meaning |}. */
    private static final Pattern ROW = Pattern.compile(
            "\\|\\s*`([^`]+)`\\s*\\|\\s*`([^`]+)`\\s*\\|\\s*(?:`([^`]*)`|(\\(empty\\)))\\s*\\|(.*)\\|\\s*");

    private record Row(String key, String envVar, String defaultValue, String meaning) {}

    private static Map<String, Row> rows;

    @BeforeAll
    static void readTable() throws IOException {
        Path readme = projectRoot().resolve("README.md");
        List<String> lines = Files.readAllLines(readme, StandardCharsets.UTF_8);
        int start = lines.indexOf("## Configuration");
        assertThat(start).as("a '## Configuration' section in %s", readme).isNotNegative();
        rows = new LinkedHashMap<>();
        boolean inTable = false;
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (!line.startsWith("|")) {
                if (inTable) {
                    break; // the table ended
                }
                continue;
            }
            inTable = true;
            if (line.matches("\\|\\s*Key\\s*\\|.*") || line.matches("\\|[\\s|:-]+")) {
                continue; // header and separator
            }
            Matcher m = ROW.matcher(line);
            assertThat(m.matches()).as("a table row like | `key` | `ENV` | `default` | meaning |: %s", line).isTrue();
            Row row = new Row(m.group(1), m.group(2), m.group(4) != null ? "" : m.group(3), m.group(5).trim());
            assertThat(rows.put(row.key(), row)).as("key %s listed twice", row.key()).isNull();
        }
        assertThat(rows).as("rows under ## Configuration").isNotEmpty();
    }

    /** The directory holding README.md and the parent pom (the one with modules), found from the working dir up. */
    public static Path projectRoot() throws IOException {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isRegularFile(pom)
                    && Files.readString(pom, StandardCharsets.UTF_8).contains("<modules>")) {
                return dir;
            }
        }
        throw new AssertionError("no README.md next to a multi-module pom.xml above " + System.getProperty("user.dir"));
    }

    @Test
    void every_setting_has_a_row_and_every_row_a_setting() {
        assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(Setting.values()).map(Setting::key).toList());
    }

    @Test
    void environment_variables_match() {
        assertThat(rows.values().stream().collect(Collectors.toMap(Row::key, Row::envVar)))
                .isEqualTo(bySetting(Setting::envVar));
    }

    @Test
    void defaults_match() {
        assertThat(rows.values().stream().collect(Collectors.toMap(Row::key, Row::defaultValue)))
                .isEqualTo(bySetting(Setting::defaultValue));
    }

    @Test
    void meanings_match() {
        assertThat(rows.values().stream().collect(Collectors.toMap(Row::key, Row::meaning)))
                .isEqualTo(bySetting(Setting::meaning));
    }

    private static Map<String, String> bySetting(Function<Setting, String> value) {
        return Arrays.stream(Setting.values()).collect(Collectors.toMap(Setting::key, value));
    }
}
