package kata.semaphore;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Bounded waits for the tests' own coordination (never for the semaphore under test). */
final class Waits {
    private Waits() {}

    /**
     * Waits (at most 1 s) until each of {@code threads} is blocked (WAITING or TIMED_WAITING) or
     * finished, i.e. parked inside the semaphore. An implementation that spins never blocks: then
     * the test goes on after 1 s anyway.
     */
    static void untilBlocked(Thread... threads) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (Thread t : threads) {
                Thread.State s = t.getState();
                all &= s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.TERMINATED;
            }
            if (all) return;
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** Waits (at most {@code millis}) until {@code done} is true; returns whether it became true. */
    static boolean until(java.util.function.BooleanSupplier done, long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() >= deadline) return false;
            LockSupport.parkNanos(1_000_000);
        }
        return true;
    }

    static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
