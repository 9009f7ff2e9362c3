package io.squall.server.config;

import io.squall.core.config.DurationText;
import io.squall.core.service.pubsub.ChannelOptionsRules;
import io.squall.core.service.pubsub.ChannelRule;
import io.squall.core.service.pubsub.ChannelRuleParser;
import io.squall.core.state.StateLimits;
import io.squall.core.service.datasync.DataSyncLimits;
import io.squall.redis.RedisConfig;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads configuration in this order, each source overriding the one before: built-in defaults, an optional
 * properties file ({@code --config FILE} or {@code SQUALL_CONFIG}), {@code SQUALL_*} environment variables,
 * command-line flags ({@code --public.port=8080} or {@code --public.port 8080}). The only place that reads the
 * environment. Unknown keys fail fast, naming the key, so a typo never silently falls back to a default.
 */
public final class ConfigLoader {
    public static final String CONFIG_ENV = "SQUALL_CONFIG";
    /** Keys of plugins: {@code plugin.<name>.<key>}, env {@code SQUALL_PLUGIN_<NAME>_<KEY>}. */
    public static final String PLUGIN_PREFIX = "plugin.";
    private static final String PLUGIN_ENV = "SQUALL_PLUGIN_";
    private static final Pattern SIZE = Pattern.compile("(\\d+)(B|KiB|MiB|GiB|KB|MB|GB)?");

    private ConfigLoader() {}

    public static ServerConfig load(String[] args, Map<String, String> env) {
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        for (Setting setting : Setting.values()) {
            values.put(setting, setting.defaultValue());
        }
        // plugin keys are checked against what each plugin declares once the plugins are loaded, at start
        Map<String, String> pluginValues = new TreeMap<>();
        Map<String, String> flags = ConfigSources.parseFlags(args);
        String file = flags.containsKey("config") ? flags.remove("config") : env.get(CONFIG_ENV);
        if (file != null && !file.isBlank()) {
            ConfigSources.readFile(configFile(file)).forEach((key, value) -> put(key, value, "config file " + file, values,
                    pluginValues));
        }
        env.forEach((name, value) -> {
            if (name.startsWith(PLUGIN_ENV)) {
                pluginValues.put(PLUGIN_PREFIX + name.substring(PLUGIN_ENV.length()).toLowerCase(Locale.ROOT)
                        .replace('_', '.'), value.trim());
            } else if (name.startsWith("SQUALL_") && !name.equals(CONFIG_ENV)) {
                values.put(knownEnv(name), value);
            }
        });
        flags.forEach((key, value) -> put(key, value, "command line", values, pluginValues));
        return build(values, pluginValues);
    }

    private static void put(String key, String value, String source, Map<Setting, String> values,
            Map<String, String> pluginValues) {
        if (key.startsWith(PLUGIN_PREFIX)) {
            pluginValues.put(key, value.trim());
        } else {
            values.put(known(key, source), value);
        }
    }

    private static Setting known(String key, String source) {
        Setting setting = Setting.byKey(key);
        if (setting == null) {
            throw new IllegalArgumentException("unknown configuration key '" + key + "' in " + source);
        }
        return setting;
    }

    private static Setting knownEnv(String name) {
        for (Setting setting : Setting.values()) {
            if (setting.envVar().equals(name)) {
                return setting;
            }
        }
        throw new IllegalArgumentException("unknown environment variable " + name + " (Squall reads SQUALL_* variables)");
    }

    private static ServerConfig build(Map<Setting, String> v, Map<String, String> pluginValues) {
        int cores = Runtime.getRuntime().availableProcessors();
        int ioThreads = integer(Setting.IO_THREADS, v);
        return new ServerConfig(
                text(Setting.PUBLIC_HOST, v),
                integer(Setting.PUBLIC_PORT, v),
                text(Setting.WS_PATH, v),
                optional(Setting.PUBLIC_URL, v),
                text(Setting.PRIVATE_HOST, v),
                integer(Setting.PRIVATE_PORT, v),
                Optional.of(v.get(Setting.BACKEND_KEY).trim()).filter(key -> !key.isEmpty()),
                optional(Setting.METRICS_KEY, v),
                duration(Setting.BACKEND_DEADLINE, v),
                size(Setting.BACKEND_MAX_BODY_BYTES, v),
                list(v.get(Setting.ALLOWED_ORIGINS)),
                bool(Setting.ALLOW_MISSING_ORIGIN, v),
                duration(Setting.PING_INTERVAL, v),
                duration(Setting.PONG_TIMEOUT, v),
                size(Setting.MAX_FRAME_BYTES, v),
                size(Setting.MAX_QUEUED_BYTES, v),
                integer(Setting.MAX_SUBSCRIPTIONS, v),
                stateLimits(v),
                duration(Setting.HTTP_HEADER_TIMEOUT, v),
                size(Setting.HTTP_MAX_HEADER_BYTES, v),
                integer(Setting.HTTP_MAX_PENDING_CONNECTIONS, v),
                integer(Setting.MAX_CONNECTIONS, v),
                integer(Setting.FD_RESERVE, v),
                bool(Setting.CLIENTS_MAY_PUBLISH, v),
                text(Setting.PUBSUB_SERVICE, v),
                text(Setting.PUBSUB_BACKEND_SERVICE, v),
                integer(Setting.LOOP_QUEUE_CAPACITY, v),
                integer(Setting.WORKER_THREADS, v),
                ioThreads == 0 ? Math.max(2, cores) : ioThreads,
                duration(Setting.SHUTDOWN_TIMEOUT, v),
                text(Setting.LOG_LEVEL, v).toUpperCase(Locale.ROOT),
                services(v),
                auth(v),
                permissions(v),
                SnapConfigReader.read(v),
                ConsoleConfig.read(v),
                WebhookConfig.read(v),
                engine(v),
                ProxyConfig.read(v),
                optionalPath(Setting.PLUGINS_DIR, v),
                pluginValues);
    }

    private static StateLimits stateLimits(Map<Setting, String> v) {
        int maxKeyBytes = size(Setting.MAX_KEY_BYTES, v);
        int maxStateBytes = size(Setting.MAX_CONNECTION_STATE_BYTES, v);
        if (maxKeyBytes < 64) { // room for any token or id the broker itself hands out (DataSync's are 32)
            throw invalid(Setting.MAX_KEY_BYTES, v.get(Setting.MAX_KEY_BYTES), "at least 64 bytes");
        }
        if (maxStateBytes < maxKeyBytes) {
            throw invalid(Setting.MAX_CONNECTION_STATE_BYTES, v.get(Setting.MAX_CONNECTION_STATE_BYTES),
                    "at least max.key.bytes (" + maxKeyBytes + " bytes): a connection must be able to hold one key");
        }
        return new StateLimits(maxKeyBytes, maxStateBytes);
    }

    private static AuthConfig auth(Map<Setting, String> v) {
        String anonymous = text(Setting.AUTH_ANONYMOUS, v).toLowerCase(Locale.ROOT);
        return new AuthConfig(
                switch (anonymous) {
                    case "auto" -> Optional.empty();
                    case "true" -> Optional.of(true);
                    case "false" -> Optional.of(false);
                    default -> throw invalid(Setting.AUTH_ANONYMOUS, anonymous, "true, false or auto");
                },
                optional(Setting.AUTH_JWT_SECRET, v),
                optionalPath(Setting.AUTH_JWT_PUBLIC_KEY, v),
                optionalPath(Setting.AUTH_JWT_JWKS, v),
                optionalPath(Setting.AUTH_JWT_PRIVATE_KEY, v),
                optional(Setting.AUTH_JWT_ISSUER, v),
                optional(Setting.AUTH_JWT_AUDIENCE, v),
                duration(Setting.AUTH_JWT_LEEWAY, v),
                text(Setting.AUTH_IDENTITY_CLAIM, v),
                duration(Setting.AUTH_TOKEN_TTL, v),
                duration(Setting.AUTH_TOKEN_MAX_TTL, v),
                text(Setting.AUTH_BACKEND_SERVICE, v));
    }

    private static List<ChannelRule> permissions(Map<Setting, String> v) {
        try {
            return ChannelRuleParser.parse(v.get(Setting.PUBSUB_PERMISSIONS));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Setting.PUBSUB_PERMISSIONS.key() + " (" + Setting.PUBSUB_PERMISSIONS.envVar()
                    + "): " + e.getMessage(), e);
        }
    }

    private static EngineConfig engine(Map<Setting, String> v) {
        ChannelOptionsRules channels;
        try {
            channels = ChannelOptionsRules.parse(v.get(Setting.PUBSUB_CHANNELS));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Setting.PUBSUB_CHANNELS.key() + " (" + Setting.PUBSUB_CHANNELS.envVar()
                    + "): " + e.getMessage(), e);
        }
        Duration metaTtl = duration(Setting.HISTORY_META_TTL, v);
        Duration idempotencyTtl = duration(Setting.IDEMPOTENCY_TTL, v);
        Duration presenceTtl = duration(Setting.PRESENCE_TTL, v);
        String engine = text(Setting.ENGINE, v).toLowerCase(Locale.ROOT);
        Optional<RedisConfig> redis = switch (engine) {
            case "memory" -> Optional.empty();
            case "redis" -> Optional.of(redis(v, metaTtl, idempotencyTtl, presenceTtl));
            default -> throw invalid(Setting.ENGINE, engine, "memory or redis");
        };
        return new EngineConfig(
                redis,
                channels,
                integer(Setting.RECOVERY_MAX_PUBLICATIONS, v),
                duration(Setting.POSITION_CHECK_INTERVAL, v),
                metaTtl,
                idempotencyTtl,
                presenceTtl);
    }

    private static RedisConfig redis(Map<Setting, String> v, Duration metaTtl, Duration idempotencyTtl,
            Duration presenceTtl) {
        String modeText = text(Setting.REDIS_MODE, v).toLowerCase(Locale.ROOT);
        RedisConfig.Mode mode = switch (modeText) {
            case "standalone" -> RedisConfig.Mode.STANDALONE;
            case "cluster" -> RedisConfig.Mode.CLUSTER;
            case "sharded" -> RedisConfig.Mode.SHARDED;
            default -> throw invalid(Setting.REDIS_MODE, modeText, "standalone, cluster or sharded");
        };
        String nodeId = text(Setting.NODE_ID, v);
        Duration heartbeat = heartbeat(v);
        try {
            return new RedisConfig(list(v.get(Setting.REDIS_ADDRESS)), mode, text(Setting.REDIS_PREFIX, v),
                    integer(Setting.REDIS_PARTITIONS, v), presenceTtl, metaTtl, idempotencyTtl,
                    duration(Setting.REDIS_COMMAND_TIMEOUT, v), duration(Setting.REDIS_PROBE_INTERVAL, v),
                    heartbeat, nodeTimeout(heartbeat, v), nodeId.isEmpty() ? NodeIds.generate() : nodeId);
        } catch (IllegalArgumentException e) {
            // RedisConfig names what is wrong ("redis: partitions must be in 1..16384"); say which keys to look at
            throw new IllegalArgumentException(e.getMessage() + " (redis.address, redis.mode, redis.prefix,"
                    + " redis.partitions, redis.command.timeout, redis.probe.interval)", e);
        }
    }

    /** Checked here so that the error names the key. */
    private static Duration heartbeat(Map<Setting, String> v) {
        Duration heartbeat = duration(Setting.REDIS_HEARTBEAT_INTERVAL, v);
        if (heartbeat.compareTo(RedisConfig.MIN_HEARTBEAT) < 0) {
            throw invalid(Setting.REDIS_HEARTBEAT_INTERVAL, text(Setting.REDIS_HEARTBEAT_INTERVAL, v),
                    "at least 100ms");
        }
        return heartbeat;
    }

    private static Duration nodeTimeout(Duration heartbeat, Map<Setting, String> v) {
        if (text(Setting.REDIS_NODE_TIMEOUT, v).isEmpty()) {
            return RedisConfig.defaultNodeTimeout(heartbeat);
        }
        Duration timeout = duration(Setting.REDIS_NODE_TIMEOUT, v);
        if (timeout.compareTo(heartbeat.multipliedBy(2)) < 0) {
            // one beat late by a whole interval (a GC pause, a busy loop) must not make a live node dead
            throw invalid(Setting.REDIS_NODE_TIMEOUT, text(Setting.REDIS_NODE_TIMEOUT, v),
                    "at least twice redis.heartbeat.interval (" + heartbeat.multipliedBy(2).toMillis() + "ms)");
        }
        return timeout;
    }

    private static Optional<String> optional(Setting setting, Map<Setting, String> values) {
        return Optional.of(text(setting, values)).filter(value -> !value.isEmpty());
    }

    /** A path the platform refuses (a NUL character) is the key's error, not a bare InvalidPathException. */
    private static Optional<Path> optionalPath(Setting setting, Map<Setting, String> values) {
        return optional(setting, values).map(value -> {
            try {
                return Path.of(value);
            } catch (InvalidPathException e) {
                throw invalid(setting, value, "a file path (" + e.getReason() + ")");
            }
        });
    }

    private static Path configFile(String file) {
        try {
            return Path.of(file);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("config (" + CONFIG_ENV + ") must be a file path (" + e.getReason()
                    + "), was '" + file + "'", e);
        }
    }

    private static int positiveInt(Setting setting, Map<Setting, String> v) {
        int value = integer(setting, v);
        if (value < 1) {
            throw new IllegalArgumentException(setting.key() + " must be positive, was " + value);
        }
        return value;
    }

    private static ServicesConfig services(Map<Setting, String> v) {
        // checked here so that the error names the key, not the record's field (found by ConfigFuzzTest)
        Duration expiry = duration(Setting.DATASYNC_TOKEN_EXPIRY, v);
        if (expiry.isNegative() || expiry.isZero()) {
            throw new IllegalArgumentException(Setting.DATASYNC_TOKEN_EXPIRY.key() + " must be positive, was "
                    + v.get(Setting.DATASYNC_TOKEN_EXPIRY));
        }
        DataSyncLimits limits = new DataSyncLimits(expiry, positiveInt(Setting.DATASYNC_MAX_BUFFERED_DELTAS, v),
                positiveInt(Setting.DATASYNC_MAX_SUBSCRIPTIONS, v), positiveInt(Setting.DATASYNC_MAX_PENDING, v));
        List<DealerSpec> dealers;
        try {
            dealers = DealerSpec.parseList(v.get(Setting.DATASYNC_DEALERS));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Setting.DATASYNC_DEALERS.key() + ": " + e.getMessage(), e);
        }
        String names = text(Setting.MESSAGING_NAMES, v).toLowerCase(Locale.ROOT);
        if (!names.equals("any") && !names.equals("identity")) {
            throw invalid(Setting.MESSAGING_NAMES, names, "any or identity");
        }
        return new ServicesConfig(
                placement(Setting.CHAT_SERVICE, Setting.CHAT_REGISTRY, v),
                integer(Setting.CHAT_MAX_CHANNELS, v),
                placement(Setting.MESSAGING_SERVICE, Setting.MESSAGING_REGISTRY, v),
                integer(Setting.MESSAGING_MAX_NAMES, v),
                names.equals("identity"),
                placement(Setting.CURSORS_SERVICE, Setting.CURSORS_REGISTRY, v),
                integer(Setting.CURSORS_MAX_DOCUMENTS, v),
                placement(Setting.DATASYNC_SERVICE, Setting.DATASYNC_REGISTRY, v),
                text(Setting.DATASYNC_BACKEND_SERVICE, v),
                limits,
                dealers,
                positiveInt(Setting.DATASYNC_HISTORY_SIZE, v));
    }

    private static ServicesConfig.Placement placement(Setting name, Setting registry, Map<Setting, String> v) {
        String value = text(registry, v).toLowerCase(Locale.ROOT);
        ServicesConfig.Registry where = switch (value) {
            case "public" -> ServicesConfig.Registry.PUBLIC;
            case "private" -> ServicesConfig.Registry.PRIVATE;
            default -> throw invalid(registry, value, "public or private");
        };
        return new ServicesConfig.Placement(text(name, v), where);
    }

    static String text(Setting setting, Map<Setting, String> values) {
        return values.get(setting).trim();
    }

    static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    static int integer(Setting setting, Map<Setting, String> values) {
        String value = text(setting, values);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw invalid(setting, value, "a whole number");
        }
    }

    static boolean bool(Setting setting, Map<Setting, String> values) {
        String value = text(setting, values).toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(setting, value, "true or false");
        };
    }

    /** {@code 500ms}, {@code 25s}, {@code 2m}, {@code 1h}, {@code 30d}, or ISO-8601 {@code PT25S}. */
    static Duration duration(Setting setting, Map<Setting, String> values) {
        String value = text(setting, values);
        try {
            return DurationText.parse(value);
        } catch (IllegalArgumentException e) {
            // too many digits, or more than Duration holds: still a bad value of this key, not a crash
            throw invalid(setting, value, "a duration such as 500ms, 25s, 2m");
        }
    }

    /** Bytes: {@code 65536}, {@code 64KiB}, {@code 1MiB} (binary) or {@code 64KB}, {@code 1MB} (decimal). */
    static int size(Setting setting, Map<Setting, String> values) {
        String value = text(setting, values);
        Matcher m = SIZE.matcher(value);
        if (!m.matches()) {
            throw invalid(setting, value, "a size such as 65536, 64KiB or 1MiB");
        }
        long unit = switch (m.group(2) == null ? "B" : m.group(2)) {
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            case "GiB" -> 1L << 30;
            case "KB" -> 1_000L;
            case "MB" -> 1_000_000L;
            case "GB" -> 1_000_000_000L;
            default -> 1L;
        };
        long bytes;
        try {
            bytes = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw invalid(setting, value, "a size below 2 GiB");
        }
        if (bytes > Integer.MAX_VALUE) {
            throw invalid(setting, value, "a size below 2 GiB");
        }
        return (int) bytes;
    }

    static IllegalArgumentException invalid(Setting setting, String value, String expected) {
        return new IllegalArgumentException(
                setting.key() + " (" + setting.envVar() + ") must be " + expected + ", was '" + value + "'");
    }
}
