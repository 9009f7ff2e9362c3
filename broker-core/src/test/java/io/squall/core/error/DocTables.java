package io.squall.core.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the two-column tables of the docs: {@code | key | text |} rows under a heading, keyed by the first cell. */
final class DocTables {
    private static final Pattern ROW = Pattern.compile("\\|\\s*(.+?)\\s*\\|\\s*(.*?)\\s*\\|\\s*");
    /** A cell's keys: {@code `a`, `b`} is two keys with the same text; a bare number is one key. */
    private static final Pattern KEY = Pattern.compile("`([^`]+)`|^(\\d+)$");

    private DocTables() {}

    /**
     * The first table after {@code heading} (a whole line: {@code ## Close codes}, or the table's own header row
     * {@code | Error | When |}), as key to text. A key listed twice fails, as does a row that is not two cells.
     */
    static Map<String, String> table(String file, String heading) {
        List<String> lines = lines(file);
        int start = lines.indexOf(heading);
        assertThat(start).as("a '%s' heading in %s", heading, file).isNotNegative();
        Map<String, String> rows = new LinkedHashMap<>();
        boolean inTable = false;
        boolean header = true;
        for (String line : lines.subList(heading.startsWith("|") ? start : start + 1, lines.size())) {
            if (line.startsWith("#")) {
                break;
            }
            if (!line.startsWith("|")) {
                if (inTable) {
                    break; // the table ended
                }
                continue;
            }
            inTable = true;
            if (header || line.matches("\\|[\\s|:-]+")) {
                header = false;
                continue; // the header row, then the separator
            }
            Matcher row = ROW.matcher(line);
            assertThat(row.matches()).as("a two-cell row in %s under %s: %s", file, heading, line).isTrue();
            List<String> keys = keys(row.group(1));
            assertThat(keys).as("names in the first cell of %s", line).isNotEmpty();
            for (String key : keys) {
                assertThat(rows.put(key, row.group(2))).as("%s listed twice under %s in %s", key, heading, file)
                        .isNull();
            }
        }
        assertThat(rows).as("rows under %s in %s", heading, file).isNotEmpty();
        return rows;
    }

    private static List<String> keys(String cell) {
        Matcher m = KEY.matcher(cell.trim());
        List<String> keys = new ArrayList<>();
        while (m.find()) {
            keys.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return keys;
    }

    static List<String> lines(String file) {
        try {
            return Files.readAllLines(projectRoot().resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directory holding README.md and the parent pom (the one with modules), found from the working dir up. */
    static Path projectRoot() throws IOException {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isRegularFile(pom)
                    && Files.readString(pom, StandardCharsets.UTF_8).contains("<modules>")) {
                return dir;
            }
        }
        throw new AssertionError("no README.md next to a multi-module pom.xml above " + System.getProperty("user.dir"));
    }
}
