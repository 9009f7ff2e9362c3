package io.squall.snap.codec;

import java.util.Arrays;
import java.util.List;

/** The SNAPB/1 test vectors of the specification (docs/snap.md), as bytes and as messages. */
public final class Vectors {
    public static final byte[] TV1_PAYLOAD = hex("01 02 5d e6 63 00 00 01 03 2a 06 73 74 61 74 75 73 03 03 0c e4 02 03 00 7e");
    public static final byte[] TV1_FRAME = hex("7e 01 02 5d e6 63 00 00 01 03 2a 06 73 74 61 74 75 73 03 03 0c e4 02 03 00"
            + " 7d 5e 7d 5e d5 7e");
    public static final SnapMessage TV1 = SnapMessage.multicast(0x5de663, 0x0001, 3, 0x2a, "status",
            List.of(3300, true, 126));

    public static final byte[] TV2_PAYLOAD = hex("01 01 0a 0b 0c 00 00 20 00 07 06 72 65 70 6f 72 74 05 00 01 03 ff fe 04 02"
            + " 6f 6b 05 03 7d 00 ff");
    public static final byte[] TV2_FRAME = hex("7e 01 01 0a 0b 0c 00 00 20 00 07 06 72 65 70 6f 72 74 05 00 01 03 ff fe 04"
            + " 02 6f 6b 05 03 7d 5d 00 ff 2f 6c 7e");
    public static final SnapMessage TV2 = SnapMessage.unicast(0x0a0b0c, 0x000020, 7, "report", Arrays.asList(
            null, false, -2, SnapString.latin1("ok"), new SnapByteList(new byte[] {0x7d, 0x00, (byte) 0xff})));

    private Vectors() {}

    public static byte[] hex(String spaced) {
        return SnapValues.parseHex(spaced.replace(" ", ""));
    }

    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] part : parts) {
            n += part.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
