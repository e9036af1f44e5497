package kata.pool;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A call into the pool made from a thread of its own, so the test can watch it block, then
 * release, interrupt or time it out. The thread is a daemon: if the call never returns, the test
 * fails with where it waits ({@link #outcome}) and the thread is abandoned.
 */
final class Background<V> {
    final Thread thread;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile Pools.Outcome<V> outcome;
    volatile long startedAt;
    volatile long endedAt;

    private Background(String name, Callable<V> call) {
        thread = new Thread(() -> {
            startedAt = System.nanoTime();
            try {
                outcome = new Pools.Outcome<>(call.call(), null);
            } catch (Throwable e) {
                outcome = new Pools.Outcome<>(null, e);
            } finally {
                endedAt = System.nanoTime();
                finished.countDown();
            }
        }, name);
        thread.setDaemon(true);
    }

    /** Starts {@code call} in a daemon thread named {@code name}. */
    static <V> Background<V> start(String name, Callable<V> call) {
        Background<V> b = new Background<>(name, call);
        b.thread.start();
        return b;
    }

    /** Whether the call has returned or thrown. */
    boolean finished() {
        return finished.getCount() == 0;
    }

    /** How the call ended, waiting at most {@code limit}; a call still running fails with where it waits. */
    Pools.Outcome<V> outcome(Duration limit, String what) {
        if (!Pools.await(finished, limit)) {
            StringBuilder where = new StringBuilder();
            for (StackTraceElement frame : thread.getStackTrace()) where.append("\n      at ").append(frame);
            thread.interrupt();
            throw new AssertionError(what + " had not returned after " + limit.toMillis() + " ms; \"" + thread.getName()
                    + "\" is " + thread.getState() + " here:" + where);
        }
        return outcome;
    }

    /** Milliseconds from the start of the call to its end. */
    long millis() {
        return TimeUnit.NANOSECONDS.toMillis(endedAt - startedAt);
    }
}
