package kata.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Bounded waits for the tests' own coordination, never a wait for the code under test: each one
 * gives up after its limit, so a test's own thread cannot hang here.
 */
public final class Waits {
    private Waits() {}

    /** How long {@link #untilBlocked} waits at most. */
    private static final Duration BLOCKED = Duration.ofSeconds(1);

    /**
     * Waits (at most 1 s) until each of {@code threads} is blocked (WAITING or TIMED_WAITING) or
     * finished, i.e. parked inside the code under test. Code that spins never blocks: then the
     * test goes on after 1 s anyway, which is still right, only slower.
     */
    public static void untilBlocked(Thread... threads) {
        until(BLOCKED, () -> {
            for (Thread t : threads) if (!blockedOrDone(t)) return false;
            return true;
        });
    }

    /** As {@link #untilBlocked(Thread...)}, for threads that set themselves into {@code refs} once started. */
    @SafeVarargs
    public static void untilBlocked(AtomicReference<Thread>... refs) {
        until(BLOCKED, () -> {
            for (AtomicReference<Thread> ref : refs) if (!blockedOrDone(ref.get())) return false;
            return true;
        });
    }

    private static boolean blockedOrDone(Thread t) {
        Thread.State s = t == null ? Thread.State.NEW : t.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.TERMINATED;
    }

    /** Waits at most {@code limit} for the condition; whether it came true. */
    public static boolean until(Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) return false;
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return true;
    }

    /** Waits at most {@code limit} for another test thread to count {@code latch} down; fails if it does not. */
    public static void await(CountDownLatch latch, Duration limit) {
        try {
            assertTrue(latch.await(limit.toMillis(), TimeUnit.MILLISECONDS), "another test thread never got going");
        } catch (InterruptedException e) {
            throw new AssertionError("interrupted", e);
        }
    }

    public static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
