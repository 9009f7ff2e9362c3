package io.squall.core.json;

import static io.squall.core.testing.Jsons.json;
import static io.squall.core.testing.Jsons.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonKeyTest {

    private static JsonKey key(String jsonText) {
        return JsonKey.of(parse(jsonText));
    }

    @Test
    void objects_with_the_same_members_are_equal_whatever_the_key_order() {
        JsonKey ab = key("{\"a\":1,\"b\":\"x\"}");
        JsonKey ba = key("{\"b\":\"x\",\"a\":1}");

        assertThat(ab).isEqualTo(ba).hasSameHashCodeAs(ba);
    }

    @Test
    void objects_with_different_members_differ() {
        assertThat(key("{\"a\":1}")).isNotEqualTo(key("{\"a\":1,\"b\":2}")).isNotEqualTo(key("{\"a\":2}"));
    }

    @Test
    void arrays_are_order_sensitive() {
        assertThat(key("[1,2]")).isNotEqualTo(key("[2,1]"));
        assertThat(key("[1,2]")).isEqualTo(key("[1,2]"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "1.0", "1e0", "1.00", "10e-1", "0.1e1"})
    void numbers_of_equal_value_are_equal_keys_with_equal_hashes(String one) {
        assertThat(key(one)).isEqualTo(key("1")).hasSameHashCodeAs(key("1"));
    }

    @Test
    void a_fraction_differs_from_its_integer_part() {
        assertThat(key("1.5")).isNotEqualTo(key("1")).isEqualTo(key("1.50"));
    }

    @Test
    void integers_beyond_long_compare_by_value() {
        JsonKey twoToThe64 = key("18446744073709551616");

        assertThat(twoToThe64).isEqualTo(key("18446744073709551616")).hasSameHashCodeAs(key("18446744073709551616"));
        assertThat(twoToThe64).isNotEqualTo(key("18446744073709551617"));
        assertThat(key("-9223372036854775809")).isNotEqualTo(key("-9223372036854775808"));
    }

    @Test
    void an_integer_beyond_long_equals_the_float_of_the_same_exact_value() {
        // Python: 2**64 == 18446744073709551616.0, and they hash alike
        assertThat(key("18446744073709551616"))
                .isEqualTo(key("18446744073709551616.0"))
                .hasSameHashCodeAs(key("18446744073709551616.0"));
        assertThat(key("100000000000000000000")).isEqualTo(key("1e20"));
        assertThat(key("-9223372036854775808")).isEqualTo(key("-9223372036854775808.0"));
    }

    @Test
    void an_integer_differs_from_a_float_that_merely_prints_like_it() {
        // the double 1.8446744073709552e19 is exactly 2**64, not 18446744073709552000 (Python agrees)
        assertThat(key("18446744073709552000")).isNotEqualTo(key("1.8446744073709552e19"));
    }

    @Test
    void a_number_too_large_for_a_double_is_a_usable_key() {
        // 1e400 parses as Infinity; it must neither throw nor equal a finite number
        JsonKey huge = key("1e400");

        assertThat(huge).isEqualTo(key("2e400")).hasSameHashCodeAs(key("2e400"));
        assertThat(huge).isNotEqualTo(key("-1e400")).isNotEqualTo(key("1e308"));
    }

    @Test
    void a_string_is_not_the_number_it_spells() {
        assertThat(key("\"1\"")).isNotEqualTo(key("1"));
        assertThat(key("[\"1\"]")).isNotEqualTo(key("[1]"));
    }

    @Test
    void numbers_nested_in_objects_and_arrays_compare_by_value() {
        JsonKey written = key("{\"room\":{\"id\":2,\"tags\":[1,\"x\"]},\"n\":3}");
        JsonKey rewritten = key("{\"n\":3.0,\"room\":{\"tags\":[1e0,\"x\"],\"id\":2.00}}");

        assertThat(written).isEqualTo(rewritten).hasSameHashCodeAs(rewritten);
        assertThat(written).isNotEqualTo(key("{\"room\":{\"id\":2,\"tags\":[\"x\",1]},\"n\":3}"));
    }

    @Test
    void null_and_booleans_are_keys_equal_only_to_themselves() {
        assertThat(key("null")).isEqualTo(key("null")).isNotEqualTo(key("\"null\"")).isNotEqualTo(key("false"));
        assertThat(key("true")).isEqualTo(key("true")).isNotEqualTo(key("false"));
        assertThat(key("false")).isNotEqualTo(key("\"false\""));
    }

    @Test
    void an_equal_key_finds_the_entry_in_a_hash_map() {
        Map<JsonKey, String> channels = new HashMap<>();
        channels.put(key("{\"a\":1,\"b\":[2,3]}"), "room");

        assertThat(channels.get(key("{\"b\":[2.0,3],\"a\":1.0}"))).isEqualTo("room");
    }

    @Test
    void value_returns_the_node_as_given() {
        JsonNode original = json("{'b':2,'a':1.0}");

        JsonKey channel = JsonKey.of(original);

        assertThat(channel.value()).isSameAs(original);
        assertThat(channel.value().get("a").isDouble()).isTrue();
    }

    @Test
    void a_key_of_a_java_string_equals_the_key_of_the_json_string() {
        assertThat(JsonKey.of("news")).isEqualTo(JsonKey.of(TextNode.valueOf("news")));
    }
}
