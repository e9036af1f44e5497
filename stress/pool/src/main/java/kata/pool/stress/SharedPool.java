package kata.pool.stress;

import java.util.concurrent.atomic.AtomicReference;
import kata.pool.WorkerPool;

/**
 * The one pool the samples of a harness share (a pool per sample would start a thread per
 * sample). It is built from a daemon thread: a new thread inherits its creator's daemon status,
 * so unless the pool asks otherwise its workers are daemons too, and the jcstress fork can end
 * without closing the pool (a fork whose non-daemon threads still wait for jobs would never exit).
 */
final class SharedPool {
    private SharedPool() {}

    static WorkerPool ofOneWorker() {
        AtomicReference<Object> made = new AtomicReference<>();
        Thread builder = new Thread(() -> {
            try {
                made.set(new WorkerPool(1));
            } catch (Throwable e) {
                made.set(e);
            }
        }, "shared-pool-builder");
        builder.setDaemon(true);
        builder.start();
        try {
            builder.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        Object pool = made.get();
        if (pool instanceof WorkerPool p) return p;
        if (pool instanceof RuntimeException e) throw e;
        if (pool instanceof Error e) throw e;
        throw new IllegalStateException("could not build the pool", (Throwable) pool);
    }
}
