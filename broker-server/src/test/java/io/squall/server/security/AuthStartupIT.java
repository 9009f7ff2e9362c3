package io.squall.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.server.testing.JarProcess;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The jar as an operator runs it: a bad auth or permission setting stops the start with exit 2, naming the key. */
class AuthStartupIT {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--auth.jwt.secret=too-short-secret                   | auth.jwt.secret must be at least 32 bytes",
        "--auth.jwt.public.key=/nonexistent/squall/jwt.pem    | auth.jwt.public.key: cannot read",
        "--auth.anonymous=false                               | auth.anonymous=false needs a token key",
        "--pubsub.permissions=allow read news                 | pubsub.permissions (SQUALL_PUBSUB_PERMISSIONS): rule 1",
    })
    void a_bad_security_setting_stops_the_start_with_exit_code_2(String flag, String message) {
        try (JarProcess jar = JarProcess.start(Map.of(), "--public.port=0", "--private.port=0", flag.strip())) {
            int exit = jar.awaitExit(Duration.ofSeconds(20));

            assertThat(exit).as(jar.output()).isEqualTo(2);
            assertThat(jar.output()).contains("configuration error", message.strip());
            assertThat(jar.output()).as("one clear line, no stack trace").doesNotContain("\tat ");
            assertThat(jar.stdout()).noneMatch(line -> line.contains("Squall ready"));
        }
    }
}
