package io.squall.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.server.config.ReadmeConfigTableTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** docs/security.md's table of token checks names every {@link Refusal}: its 401 body and its metric tag. */
class RefusalDocsTest {
    /** {@code | check | `body` (note) | `tag` |}. */
    private static final Pattern ROW = Pattern.compile("\\|[^|]+\\|\\s*`([^`]+)`[^|]*\\|\\s*`([^`]+)`\\s*\\|\\s*");

    @Test
    void the_token_checks_table_gives_each_refusal_its_body_and_tag() throws IOException {
        List<String> lines = Files.readAllLines(ReadmeConfigTableTest.projectRoot().resolve("docs/security.md"),
                StandardCharsets.UTF_8);
        int header = lines.indexOf("| Check | 401 body | `reason` tag of `broker.auth.refused` |");
        assertThat(header).as("the token checks table in docs/security.md").isNotNegative();
        Map<String, String> documented = new LinkedHashMap<>();
        for (String line : lines.subList(header + 2, lines.size())) {
            if (!line.startsWith("|")) {
                break;
            }
            Matcher row = ROW.matcher(line);
            assertThat(row.matches()).as("a row like | check | `body` | `tag` |: %s", line).isTrue();
            assertThat(documented.put(row.group(2), row.group(1))).as("tag %s twice", row.group(2)).isNull();
        }
        assertThat(documented).containsExactlyInAnyOrderEntriesOf(Arrays.stream(Refusal.values())
                .collect(Collectors.toMap(Refusal::tag, refusal -> refusal.http().body())));
    }
}
