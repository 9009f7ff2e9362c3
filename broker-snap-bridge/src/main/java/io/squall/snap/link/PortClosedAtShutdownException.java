package io.squall.snap.link;

import java.io.IOException;

/**
 * The port failed because the JVM is shutting down and the serial library closed every port (jSerialComm does so in
 * its own shutdown hook, racing the broker's graceful stop). Not an outage: the bridge stops instead of reopening.
 */
public final class PortClosedAtShutdownException extends IOException {
    private static final long serialVersionUID = 1L;

    public PortClosedAtShutdownException(String path) {
        super(path + " closed: the JVM is shutting down");
    }
}
