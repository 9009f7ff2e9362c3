package io.squall.core.json;

import io.squall.api.JsonKey;
import static io.squall.core.testing.Jsons.json;
import static io.squall.core.testing.Jsons.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
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
    void a_float_is_its_decimal_value_not_the_double_nearest_to_it() {
        // read as a double, 1.8446744073709552e19 would be exactly 2**64; its decimal value is 18446744073709552000
        assertThat(key("1.8446744073709552e19")).isEqualTo(key("18446744073709552000"))
                .hasSameHashCodeAs(key("18446744073709552000"));
        assertThat(key("1.8446744073709552e19")).isNotEqualTo(key("18446744073709551616"));
        assertThat(key("0.1")).isNotEqualTo(key("0.1000000000000000055511151231257827"));
    }

    @Test
    void numbers_beyond_double_range_are_distinct_keys() {
        assertThat(key("1e400")).isNotEqualTo(key("2e400")).isNotEqualTo(key("1e999999999"))
                .isNotEqualTo(key("-1e400")).isNotEqualTo(key("1e308"));
        assertThat(key("2e400")).isNotEqualTo(key("1e999999999"));
        assertThat(key("1e400")).isEqualTo(key("10e399")).hasSameHashCodeAs(key("10e399"))
                .isEqualTo(key("0.1e401"));
        assertThat(key("1e-400")).isNotEqualTo(key("0")).isNotEqualTo(key("2e-400")).isEqualTo(key("10e-401"));
        assertThat(key("0")).isEqualTo(key("0e400")).isEqualTo(key("-0.0")).isEqualTo(key("0e-999999999"));
    }

    @Test
    void numbers_beyond_double_range_do_not_share_one_hash() {
        // Jackson hashes a decimal by its double: every one of these would hash as Infinity, or as 0
        Set<Integer> hashes = new HashSet<>();
        for (int i = 1; i <= 100; i++) {
            hashes.add(key(i + "e400").hashCode());
            hashes.add(key(i + "e-400").hashCode());
        }
        assertThat(hashes).hasSizeGreaterThan(190);
    }

    @Test
    void the_canonical_text_of_a_huge_exponent_is_short_and_parses_back_to_an_equal_key() {
        JsonKey huge = key("100e999999997");

        assertThat(huge.canonicalText()).isEqualTo("1E+999999999");
        assertThat(key(huge.canonicalText())).isEqualTo(huge);
        assertThat(key("12345678901234567890.50").canonicalText()).isEqualTo("12345678901234567890.5");
        assertThat(key("1e20").canonicalText()).as("integers keep their digits").isEqualTo("100000000000000000000");
        assertThat(key("[1.0,{\"b\":2.50,\"a\":1e400}]").canonicalText())
                .isEqualTo("[1,{\"a\":1E+400,\"b\":2.5}]");
    }

    @Test
    void keys_with_huge_exponents_cost_no_more_than_small_ones() {
        // expanding 1e999999999 to its digits would take a gigabyte and minutes: a health bound, not a speed goal
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (int i = 0; i < 1000; i++) {
                JsonKey key = key("[1e999999999,-9.99e-999999990,1" + "0".repeat(90) + "e999999900]");
                assertThat(key.byteSize()).isLessThan(100);
                assertThat(key).isNotEqualTo(key("[1e999999998]"));
            }
        });
    }

    @Test
    void the_byte_size_is_a_strings_utf8_length_or_the_canonical_texts() {
        assertThat(JsonKey.of("news").byteSize()).isEqualTo(4);
        assertThat(JsonKey.of("é😀").byteSize()).isEqualTo(6);
        assertThat(key("{\"b\":1.0,\"a\":\"é\"}").byteSize()).isEqualTo("{\"a\":\"é\",\"b\":1}".length() + 1);
        assertThat(key("5").byteSize()).isEqualTo(1);
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
        assertThat(channel.value().get("a").isBigDecimal()).isTrue();
        assertThat(channel.value().toString()).isEqualTo("{\"b\":2,\"a\":1.0}");
    }

    @Test
    void a_key_of_a_java_string_equals_the_key_of_the_json_string() {
        assertThat(JsonKey.of("news")).isEqualTo(JsonKey.of(TextNode.valueOf("news")));
    }
}
