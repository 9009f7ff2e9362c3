package io.squall.server.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.core.error.ErrorName;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ProxyAnswersTest {
    private static final ObjectMapper MAPPER = io.squall.core.json.Json.mapper();

    private static ProxyAnswer parse(String body) {
        return ProxyAnswers.parse(MAPPER, 200, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void the_three_answers() {
        assertThat(parse("{\"result\":{\"data\":1}}")).isInstanceOfSatisfying(ProxyAnswer.Result.class,
                result -> assertThat(result.result().get("data").asInt()).isEqualTo(1));
        assertThat(parse("{\"error\":{\"name\":\"No\",\"message\":\"why\"}}"))
                .isEqualTo(new ProxyAnswer.Refused("No", "why"));
        assertThat(parse("{\"error\":{\"name\":\"No\"}}")).isEqualTo(new ProxyAnswer.Refused("No", null));
        assertThat(parse("{\"disconnect\":{\"code\":4100,\"reason\":\"bye\"}}"))
                .isEqualTo(new ProxyAnswer.Disconnect(4100, "bye"));
        assertThat(parse("{\"disconnect\":{\"code\":4999}}")).isEqualTo(new ProxyAnswer.Disconnect(4999, ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "nope", "null", "[]", "{}", "{\"result\":{},\"error\":{\"name\":\"x\"}}",
        "{\"result\":null}", "{\"result\":1}", "{\"error\":\"No\"}", "{\"error\":{}}", "{\"error\":{\"name\":1}}",
        "{\"error\":{\"name\":\" \"}}", "{\"error\":{\"name\":\"x\",\"message\":1}}", "{\"disconnect\":{}}",
        "{\"disconnect\":{\"code\":1000}}", "{\"disconnect\":{\"code\":5000}}", "{\"disconnect\":{\"code\":4000.5}}",
        "{\"disconnect\":{\"code\":\"4000\"}}", "{\"disconnect\":{\"code\":4000,\"reason\":[]}}", "{\"ok\":{}}",
        "{\"result\":{}} {}", "{\"result\":{},\"result\":{}}"})
    void anything_else_is_a_bad_answer(String body) {
        assertThat(parse(body)).isInstanceOfSatisfying(ProxyAnswer.Failed.class,
                failed -> assertThat(failed.error()).isEqualTo(ErrorName.UNAVAILABLE));
    }

    @Test
    void a_status_other_than_200_is_a_failure_and_a_long_name_is_refused() {
        assertThat(ProxyAnswers.parse(MAPPER, 201, "{\"result\":{}}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ProxyAnswer.Failed.class);
        assertThat(parse("{\"error\":{\"name\":\"" + "n".repeat(201) + "\"}}")).isInstanceOf(ProxyAnswer.Failed.class);
    }
}
