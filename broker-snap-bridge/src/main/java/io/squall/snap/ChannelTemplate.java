package io.squall.snap;

import io.squall.snap.codec.SnapMessage;
import io.squall.snap.codec.SnapValues;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The channel a node RPC is published on: {@code snap/{src}/{function}} by default gives {@code snap/5de663/status}.
 * {@code {dst}} is the destination address for unicast and {@code g<group>} for multicast; {@code {kind}} is
 * {@code unicast}, {@code multicast} or {@code data}.
 */
final class ChannelTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
    private static final java.util.Set<String> NAMES = java.util.Set.of("src", "dst", "function", "kind");

    private final String template;

    ChannelTemplate(String template) {
        validate(template);
        this.template = template;
    }

    static void validate(String template) {
        if (template == null || template.isBlank()) {
            throw new IllegalArgumentException("snap.channel.template must not be blank");
        }
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (!NAMES.contains(m.group(1))) {
                throw new IllegalArgumentException("snap.channel.template: unknown placeholder {" + m.group(1)
                        + "} (use {src}, {dst}, {function}, {kind})");
            }
        }
    }

    String channelOf(SnapMessage message) {
        return template.replace("{src}", SnapValues.address(message.src()))
                .replace("{dst}", dst(message))
                .replace("{function}", message.function())
                .replace("{kind}", SnapJson.kind(message.kind()));
    }

    private static String dst(SnapMessage message) {
        return message.isMulticast() ? "g" + message.dst() : SnapValues.address(message.dst());
    }
}
