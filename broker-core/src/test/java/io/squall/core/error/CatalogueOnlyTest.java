package io.squall.core.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No main source writes an error name, a refusal or a close code of its own: each is spelled once, in
 * {@code io.squall.core.error}. One as a string literal elsewhere, or a number handed to a close call, is a second
 * definition the docs test cannot see.
 */
class CatalogueOnlyTest {
    private static final String CATALOGUE = "/io/squall/core/error/";
    /** the public API's copy of the error names, for services that cannot see the core: ApiServiceTest holds it equal */
    private static final String API_MIRROR = "/io/squall/api/ServiceError.java";
    private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    /** A call of anything named close (close, closeOnIoThread, ControlFrames.close...) and its argument list. */
    private static final Pattern CLOSE_CALL = Pattern.compile("(?i)\\w*close\\w*\\(([^;{]*?)\\)\\s*[;,)]");
    /** A literal in RFC 6455's close code range or the private one. */
    private static final Pattern CODE = Pattern.compile("(?<![\\w.])(1\\d{3}|[34]\\d{3})(?![\\w.])");

    private static List<Path> sources;

    @BeforeAll
    static void mainSources() throws IOException {
        try (Stream<Path> modules = Files.list(DocTables.projectRoot())) {
            sources = new ArrayList<>();
            // broker-bench is a client: it matches names it receives, and sends none
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/main/java")))
                    .filter(m -> !m.getFileName().toString().equals("broker-bench")).toList()) {
                try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
                    files.filter(f -> f.toString().endsWith(".java"))
                            .filter(f -> !f.toString().replace('\\', '/').contains(CATALOGUE))
                            .filter(f -> !f.toString().replace('\\', '/').endsWith(API_MIRROR))
                            .forEach(sources::add);
                }
            }
        }
        assertThat(sources).as("main sources of the modules").hasSizeGreaterThan(100);
    }

    @Test
    void no_error_name_or_close_reason_is_written_outside_the_catalogue() {
        Set<String> names = Stream.of(Arrays.stream(ErrorName.values()).map(ErrorName::wireName),
                Arrays.stream(CloseCode.values()).map(CloseCode::text),
                Arrays.stream(HttpRefusal.values()).map(HttpRefusal::body)).flatMap(s -> s).collect(Collectors.toSet());
        List<String> found = new ArrayList<>();
        for (Path source : sources) {
            List<String> lines = Arrays.asList(code(source, false).split("\n", -1));
            for (int i = 0; i < lines.size(); i++) {
                Matcher literal = STRING.matcher(lines.get(i));
                while (literal.find()) {
                    if (names.contains(literal.group(1))) {
                        found.add(source.getFileName() + ":" + (i + 1) + " \"" + literal.group(1) + "\"");
                    }
                }
            }
        }
        assertThat(found).as("use ErrorName, CloseCode or HttpRefusal instead of these literals").isEmpty();
    }

    @Test
    void no_close_call_is_given_a_numeric_code() {
        List<String> found = new ArrayList<>();
        for (Path source : sources) {
            String text = code(source, true); // a number in a message is no close code
            Matcher call = CLOSE_CALL.matcher(text);
            while (call.find()) {
                if (CODE.matcher(call.group(1)).find()) {
                    found.add(source.getFileName() + ": " + call.group().strip());
                }
            }
        }
        assertThat(found).as("close with a CloseCode, not a number").isEmpty();
    }

    /**
     * The source with its comments blanked (newlines kept): a comment may quote a name, only code defines one. With
     * {@code blankStrings}, string and char literals keep only their quotes.
     */
    private static String code(Path source, boolean blankStrings) {
        String text;
        try {
            text = Files.readString(source, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                int end = i + 1; // a string or char literal, escapes included, kept as it is
                while (end < text.length() && text.charAt(end) != c && text.charAt(end) != '\n') {
                    end += text.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(end + 1, text.length());
                out.append(blankStrings ? c + "" + c : text.substring(i, end));
                i = end;
            } else if (text.startsWith("//", i)) {
                int end = text.indexOf('\n', i);
                i = end < 0 ? text.length() : end;
            } else if (text.startsWith("/*", i)) {
                int end = text.indexOf("*/", i + 2);
                end = end < 0 ? text.length() : end + 2;
                out.append(text.substring(i, end).replaceAll("[^\n]", " "));
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
