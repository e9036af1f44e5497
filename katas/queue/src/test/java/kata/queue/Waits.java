package kata.queue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Bounded waits for the tests' own coordination (never a wait for the queue under test). */
final class Waits {
    private Waits() {}

    /**
     * Waits (at most 1 s) until each thread has been set and is blocked (WAITING or
     * TIMED_WAITING) or finished, i.e. parked inside the queue. An implementation that spins
     * never blocks: then the test goes on after 1 s anyway, which is still right, only slower.
     */
    @SafeVarargs
    static void untilBlocked(AtomicReference<Thread>... refs) {
        until(Duration.ofSeconds(1), () -> {
            for (AtomicReference<Thread> ref : refs) {
                Thread t = ref.get();
                Thread.State s = t == null ? Thread.State.NEW : t.getState();
                if (s != Thread.State.WAITING && s != Thread.State.TIMED_WAITING && s != Thread.State.TERMINATED) return false;
            }
            return true;
        });
    }

    /** Waits at most {@code limit} for the condition; whether it came true. */
    static boolean until(Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) return false;
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return true;
    }

    static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** A queue call that may throw InterruptedException, where nobody interrupts the thread. */
    interface Call<T> {
        T call() throws InterruptedException;
    }

    interface Action {
        void run() throws InterruptedException;
    }

    static <T> T uninterrupted(String what, Call<T> call) {
        try {
            return call.call();
        } catch (InterruptedException e) {
            throw new AssertionError(what + " threw InterruptedException, but nobody interrupted the thread", e);
        }
    }

    static void uninterruptedRun(String what, Action action) {
        uninterrupted(what, () -> {
            action.run();
            return null;
        });
    }
}
