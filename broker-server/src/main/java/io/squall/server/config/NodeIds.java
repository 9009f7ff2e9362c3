package io.squall.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Default node ids: the host name (a container's id in Docker) and a random suffix, so two nodes never collide. */
final class NodeIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private NodeIds() {}

    static String generate() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "squall";
        }
        byte[] suffix = new byte[3];
        RANDOM.nextBytes(suffix);
        return host + "-" + HexFormat.of().formatHex(suffix);
    }
}
