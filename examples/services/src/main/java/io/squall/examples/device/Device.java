package io.squall.examples.device;

/**
 * A device whose every call blocks (a serial line, a USB instrument, a vendor SDK): called only from a worker pool's
 * thread, never from the loop.
 */
public interface Device {

    /** Blocks until the device has measured. */
    Reading read() throws InterruptedException;

    /** Blocks until the device has taken the new exposure. */
    void setExposure(int exposureMs) throws InterruptedException;
}
