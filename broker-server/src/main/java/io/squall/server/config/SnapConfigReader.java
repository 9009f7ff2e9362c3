package io.squall.server.config;

import io.squall.snap.ReadMode;
import io.squall.snap.SnapBridgeConfig;
import io.squall.snap.codec.SnapCodecs;
import io.squall.snap.codec.SnapValues;
import io.squall.snap.link.SerialSettings;
import java.util.Map;
import java.util.Optional;

/** The {@code snap.*} keys into a {@link SnapBridgeConfig}; the bridge is off while {@code snap.port} is empty. */
final class SnapConfigReader {
    private SnapConfigReader() {}

    static Optional<SnapBridgeConfig> read(Map<Setting, String> v) {
        String port = ConfigLoader.text(Setting.SNAP_PORT, v);
        if (port.isEmpty()) {
            return Optional.empty();
        }
        int hostAddress;
        try {
            hostAddress = SnapValues.parseAddress(ConfigLoader.text(Setting.SNAP_HOST_ADDRESS, v));
        } catch (IllegalArgumentException e) {
            throw ConfigLoader.invalid(Setting.SNAP_HOST_ADDRESS, ConfigLoader.text(Setting.SNAP_HOST_ADDRESS, v),
                    "a SNAP address of 6 hex digits, e.g. 000020");
        }
        SerialSettings serial = new SerialSettings(port,
                ConfigLoader.integer(Setting.SNAP_BAUD, v),
                ConfigLoader.integer(Setting.SNAP_DATA_BITS, v),
                SerialSettings.Parity.parse(ConfigLoader.text(Setting.SNAP_PARITY, v)),
                SerialSettings.StopBits.parse(ConfigLoader.text(Setting.SNAP_STOP_BITS, v)),
                ConfigLoader.duration(Setting.SNAP_WRITE_TIMEOUT, v));
        String codec = ConfigLoader.text(Setting.SNAP_CODEC, v);
        SnapCodecs.create(codec); // a missing or broken plug-in stops the start here, naming snap.codec
        ReadMode readMode;
        try {
            readMode = ReadMode.parse(ConfigLoader.text(Setting.SNAP_READ_MODE, v));
        } catch (IllegalArgumentException e) {
            throw ConfigLoader.invalid(Setting.SNAP_READ_MODE, ConfigLoader.text(Setting.SNAP_READ_MODE, v),
                    "auto, readiness or poll");
        }
        return Optional.of(new SnapBridgeConfig(serial,
                codec,
                ConfigLoader.text(Setting.SNAP_CHANNEL_TEMPLATE, v),
                ConfigLoader.text(Setting.SNAP_ALL_CHANNEL, v),
                ConfigLoader.text(Setting.SNAP_NODES_CHANNEL, v),
                ConfigLoader.text(Setting.SNAP_LINK_CHANNEL, v),
                ConfigLoader.duration(Setting.SNAP_NODE_TIMEOUT, v),
                ConfigLoader.integer(Setting.SNAP_MAX_NODES, v),
                ConfigLoader.duration(Setting.SNAP_POLL_INTERVAL, v),
                ConfigLoader.duration(Setting.SNAP_RECONNECT_MIN, v),
                ConfigLoader.duration(Setting.SNAP_RECONNECT_MAX, v),
                hostAddress,
                ConfigLoader.text(Setting.SNAP_SERVICE, v),
                ConfigLoader.list(v.get(Setting.SNAP_PUBLIC_FUNCTIONS)),
                ConfigLoader.integer(Setting.SNAP_SEND_QUEUE, v),
                readMode,
                ConfigLoader.duration(Setting.SNAP_OWNER_TTL, v)));
    }
}
