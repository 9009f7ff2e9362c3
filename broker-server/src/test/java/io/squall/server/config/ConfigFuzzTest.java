package io.squall.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the configuration reader (corpus: ConfigFuzzTestInputs) with flags and SQUALL_* variables the fuzzer
 * picks: known keys and unknown ones, values from each setting's vocabulary (numbers, sizes, durations, rules,
 * URIs) or arbitrary text. The result is a configuration or an IllegalArgumentException naming a key that was given
 * (the broker prints it and exits with 2); any other exception would be a stack trace at start.
 */
class ConfigFuzzTest {
    private static final String[] VALUES = {"0", "1", "-1", "65535", "65536", "2147483648", "10s", "0s", "-5s", "1d",
        "3m", "16KiB", "1MiB", "0B", "9999999999GiB", "true", "false", "auto", "memory", "redis", "public", "private",
        "redis://127.0.0.1:1", "redis-sentinel://h:1/m", "snapb1", "line", "allow subscribe *",
        "deny publish chat:{identity} anonymous", "chat:* size=10 ttl=1h", "*", "", " ", "ws", "/ws", "5de663"};

    @FuzzTest
    void load(FuzzedDataProvider data) {
        Setting[] settings = Setting.values();
        List<String> args = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        List<String> named = new ArrayList<>();
        int count = data.consumeInt(0, 8);
        for (int i = 0; i < count; i++) {
            Setting setting = data.pickValue(settings);
            String key = data.consumeInt(0, 9) == 0 ? data.consumeAsciiString(12).replace('=', '_') : setting.key();
            if (key.isBlank()) {
                continue;
            }
            String value = data.consumeBoolean() ? data.pickValue(VALUES) : data.consumeString(30);
            named.add(key);
            if (data.consumeBoolean()) {
                String name = key.equals(setting.key()) ? setting.envVar() : "SQUALL_" + key;
                env.put(name, value);
                named.add(name);
            } else {
                args.add("--" + key + "=" + value);
            }
        }
        try {
            ServerConfig config = ConfigLoader.load(args.toArray(String[]::new), env);
            assertThat(config).isNotNull();
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
            assertThat(named).as("the message names a key given: %s", e.getMessage())
                    .anyMatch(key -> !key.isEmpty() && e.getMessage().contains(key));
        }
    }
}
