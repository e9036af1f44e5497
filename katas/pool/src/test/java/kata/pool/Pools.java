package kata.pool;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import kata.support.Threads;

/**
 * Bounded waits for the pool tests. Every call into the pool that may block runs through
 * {@link #call} on a thread of {@link Threads}, with a limit: a call that never returns fails the
 * test with where the stuck threads wait, instead of hanging it. The tests' own latches are
 * awaited with a limit too.
 */
final class Pools {
    /** Generous: the reference needs milliseconds. Only a hang ever waits this long. */
    static final Duration LIMIT = Duration.ofSeconds(5);

    private Pools() {}

    /** What a call did: returned {@code value}, or threw {@code thrown}. */
    record Outcome<V>(V value, Throwable thrown) {
        /** The value; a throw is turned into an AssertionError that says {@code what} threw. */
        V value(String what) {
            if (thrown != null) throw new AssertionError(what + " threw " + thrown, thrown);
            return value;
        }
    }

    /** Runs {@code call} on a thread named {@code name-0}, waits at most {@code limit}; a hang fails with a diagnosis. */
    static <V> Outcome<V> call(String name, Duration limit, Callable<V> call) {
        AtomicReference<Outcome<V>> out = new AtomicReference<>();
        Threads.run(name, List.of(() -> {
            try {
                out.set(new Outcome<>(call.call(), null));
            } catch (Throwable e) {
                out.set(new Outcome<>(null, e));
            }
        }), limit, Map.of());
        return out.get();
    }

    /** {@link #call} with the default limit, returning the value. */
    static <V> V value(String what, Callable<V> call) {
        return call(what.replace(' ', '-'), LIMIT, call).value(what);
    }

    /** Closes the pool with a limit: a close() that never returns fails the test with where it waits. */
    static void close(WorkerPool pool) {
        call("close", LIMIT, () -> {
            pool.close();
            return null;
        }).value("close()");
    }

    /** For finally blocks: stops the pool's workers if it can, fails nothing, never waits longer than a second. */
    static void closeQuietly(WorkerPool pool) {
        if (pool == null) return;
        try {
            Thread t = new Thread(() -> {
                try {
                    pool.close();
                } catch (Throwable ignored) {
                    // the test already failed, or will say why
                }
            }, "closeQuietly");
            t.setDaemon(true);
            t.start();
            t.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable ignored) {
            // the pool may not even have been built (the stub)
        }
    }

    /** Awaits a test latch for at most {@code limit}; false if it did not open. */
    static boolean await(CountDownLatch latch, Duration limit) {
        try {
            return latch.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Awaits a test latch inside a job: the job gives up (and fails its task) after {@link #LIMIT}. */
    static void gate(CountDownLatch latch) throws InterruptedException {
        if (!latch.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the test never released this job (did the test fail already?)");
        }
    }

    /** Awaits a test latch, failing with {@code why} if it does not open within the limit. */
    static void expect(CountDownLatch latch, String why) {
        assertTrue(await(latch, LIMIT), why);
    }

    /**
     * Waits (at most 2 s) until {@code t} is blocked (WAITING or TIMED_WAITING, e.g. in get()) or has
     * ended. An implementation that spins never blocks: then the test goes on after 2 s anyway.
     */
    static void untilBlocked(Thread t) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < deadline) {
            Thread.State s = t.getState();
            if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.TERMINATED) return;
            LockSupport.parkNanos(1_000_000);
        }
    }

    static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
