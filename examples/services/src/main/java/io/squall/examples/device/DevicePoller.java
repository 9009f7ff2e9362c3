package io.squall.examples.device;

import io.micrometer.core.instrument.Counter;
import io.squall.api.Call;
import io.squall.api.Channels;
import io.squall.api.NoParams;
import io.squall.api.PeriodicCallback;
import io.squall.api.ServiceError;
import io.squall.api.ServiceException;
import io.squall.api.ServiceSetup;
import io.squall.api.SquallService;
import io.squall.api.WorkerPool;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The lab server's case: a slow device refreshed forever while clients are served. Each blocking read runs on a pool
 * of one thread (the device takes one call at a time), the next starts when it is delivered, each reading is
 * published to a channel; {@code setExposure} goes through the same pool (it is a device call too) and
 * {@code readings} answers from the loop at once, whatever the device is doing. Stopping the broker stops the
 * refresh: no read starts after it, the one in progress is interrupted.
 *
 * <p>Commands: {@code setExposure {"exposureMs": 1..10000}} answers the exposure once the device took it;
 * {@code readings {}} answers the latest readings, oldest first.
 */
public final class DevicePoller implements SquallService {
    /** Readings {@code readings} returns. */
    static final int KEPT = 20;

    /** {@code setExposure}'s params. */
    public record ExposureParams(int exposureMs) {}

    private final String name;
    private final Device device;
    private final String channel;
    private final Duration pause;
    private final ArrayDeque<Reading> latest = new ArrayDeque<>();
    private WorkerPool pool;
    private Channels channels;
    private PeriodicCallback refresh;
    private Counter failures;

    /**
     * @param channel where each reading is published
     * @param pause the wait between a reading and the next read (zero: back to back)
     */
    public DevicePoller(String name, Device device, String channel, Duration pause) {
        this.name = name;
        this.device = device;
        this.channel = channel;
        this.pause = pause;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void setUp(ServiceSetup setup) {
        channels = setup.channels();
        failures = Counter.builder("examples.device.read.failures").tag("service", name)
                .description("Device reads that failed").register(setup.meters());
        // one thread: the device takes one call at a time; a few setExposure calls may wait behind a read
        pool = setup.loop().newWorkerPool("device", 1, 8);
        setup.asyncCommand("setExposure", ExposureParams.class, this::setExposure);
        setup.command("readings", NoParams.class, (call, params) -> List.copyOf(latest));
        refresh = setup.loop().refreshForever(pool, device::read, pause, this::delivered);
    }

    private void delivered(Reading reading, Throwable failure) {
        if (failure != null) {
            failures.increment(); // the refresh goes on: the next read is tried after a short pause
            return;
        }
        latest.addLast(reading);
        if (latest.size() > KEPT) {
            latest.removeFirst();
        }
        channels.publish(channel, reading);
    }

    private void setExposure(Call call, ExposureParams params) {
        if (params.exposureMs() < 1 || params.exposureMs() > 10_000) {
            throw new ServiceException(ServiceError.INVALID_PARAMS);
        }
        pool.run(() -> {
            device.setExposure(params.exposureMs());
            return params.exposureMs();
        }, call::complete);
    }

    /** Whether the refresh still runs (false once the broker stopped it). Loop thread. */
    public boolean refreshing() {
        return refresh.isRunning();
    }
}
