package io.squall.snap.codec;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** SNAP messages and byte streams built from fuzzer input, for the codecs' fuzz tests. */
final class FuzzMessages {
    private FuzzMessages() {}

    /** A message the fuzzer chose, or null when its fields are out of range (the record refuses them). */
    static SnapMessage message(FuzzedDataProvider data) {
        SnapMessage.Kind kind = data.pickValue(SnapMessage.Kind.values());
        int src = data.consumeInt(0, 0xFFFFFF);
        int dst = data.consumeInt(0, kind == SnapMessage.Kind.MULTICAST ? 0xFFFF : 0xFFFFFF);
        int ttl = kind == SnapMessage.Kind.MULTICAST ? data.consumeInt(0, 255) : 0;
        int seq = data.consumeInt(0, 255);
        String function = data.consumeString(data.consumeInt(0, 40));
        List<Object> args = new ArrayList<>();
        int count = data.consumeInt(0, 6);
        for (int i = 0; i < count; i++) {
            args.add(switch (data.consumeInt(0, 5)) {
                case 0 -> null;
                case 1 -> data.consumeBoolean();
                case 2 -> data.consumeInt(Short.MIN_VALUE, Short.MAX_VALUE);
                case 3 -> new SnapString(data.consumeBytes(data.consumeInt(0, 80)));
                case 4 -> new SnapByteList(data.consumeBytes(data.consumeInt(0, 80)));
                default -> SnapString.latin1(data.consumeString(20));
            });
        }
        try {
            return new SnapMessage(kind, src, dst, ttl, seq, function, args);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Everything {@code codec} decodes from {@code bytes} fed in the pieces {@code cuts} make. */
    static List<SnapMessage> decode(SnapFrameCodec codec, byte[] bytes, List<Integer> cuts) {
        List<SnapMessage> out = new ArrayList<>();
        Consumer<SnapMessage> sink = out::add;
        int from = 0;
        for (int cut : cuts) {
            int to = Math.max(from, Math.min(cut, bytes.length));
            codec.decode(bytes, from, to - from, sink);
            from = to;
        }
        codec.decode(bytes, from, bytes.length - from, sink);
        return out;
    }

    /** Sorted cut points within {@code length}. */
    static List<Integer> cuts(FuzzedDataProvider data, int length) {
        List<Integer> cuts = new ArrayList<>();
        int count = data.consumeInt(0, 12);
        for (int i = 0; i < count; i++) {
            cuts.add(data.consumeInt(0, length));
        }
        cuts.sort(null);
        return cuts;
    }

    /** True when {@code part} appears in {@code whole} in order (other elements may come between). */
    static boolean isSubsequence(List<SnapMessage> part, List<SnapMessage> whole) {
        int at = 0;
        for (SnapMessage message : whole) {
            if (at < part.size() && part.get(at).equals(message)) {
                at++;
            }
        }
        return at == part.size();
    }

    static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
