package io.squall.examples.slow;

import io.squall.api.NoParams;
import io.squall.api.ServiceSetup;
import io.squall.api.SquallService;
import io.squall.api.WorkerPool;
import java.time.Duration;

/**
 * The threaded-Tornado case: {@code slow} blocks (10 s by default) on a pool of its own, {@code threads} wide with
 * {@code queue} calls waiting; past that a caller is answered {@code "Overloaded"} at once, never left hanging.
 * {@code ping} answers from the loop meanwhile. With 10 threads, 13 parallel calls finish in two rounds (~20 s).
 */
public final class SlowHandler implements SquallService {
    private final String name;
    private final Duration work;
    private final int threads;
    private final int queue;
    private WorkerPool pool;

    public SlowHandler(String name, Duration work, int threads, int queue) {
        this.name = name;
        this.work = work;
        this.threads = threads;
        this.queue = queue;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void setUp(ServiceSetup setup) {
        pool = setup.loop().newWorkerPool("slow", threads, queue);
        setup.asyncCommand("slow", NoParams.class, (call, params) -> pool.run(() -> {
            Thread.sleep(work); // the blocking work: a report, a remote call, a long computation
            return "done";
        }, call::complete));
        setup.command("ping", NoParams.class, (call, params) -> "pong");
    }
}
