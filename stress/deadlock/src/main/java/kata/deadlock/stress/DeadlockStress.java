package kata.deadlock.stress;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import kata.deadlock.Account;
import kata.deadlock.Bank;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * The story on real cores: two threads, released at the same instant, each send 1 from A to B
 * and then 1 from B to A (f1, then f2), over and over for {@value #ROUND_MS} ms, the second
 * thread starting with f2. Both must finish, and A and B must end where they started.
 *
 * <p>A deadlocked transfer never returns, and a jcstress actor that never returns hangs the
 * whole run. So each actor runs its transfers in a helper thread and waits for it in slices of
 * {@value #SLICE_MS} ms; whenever the helper is still running after a slice, the JVM is asked
 * whether it is in a lock cycle ({@code ThreadMXBean.findDeadlockedThreads}). That answer is
 * certain, so a slow but correct transfer is never reported as a deadlock. A deadlock is
 * recorded as DEADLOCK; its threads are abandoned (daemons that hold only this sample's
 * accounts) and the rest of this JVM's samples are recorded as SKIPPED_AFTER_DEADLOCK instead
 * of being run, so the run ends in seconds instead of piling up stuck threads.
 *
 * <p>Why rounds of {@value #ROUND_MS} ms instead of one transfer per sample: a helper thread
 * costs far more than a transfer, and jcstress sizes its batches of samples to its iteration
 * time (200 ms in quick mode); samples longer than that keep the run short.
 */
@JCStressTest
@Outcome(id = "A=1000000 B=1000000", expect = Expect.ACCEPTABLE,
        desc = "every transfer finished; each thread sent as much A -> B as B -> A, so nothing moved")
@Outcome(id = "DEADLOCK", expect = Expect.FORBIDDEN,
        desc = "each thread holds one account's lock and waits for the other's, forever (the JVM found the cycle)")
@Outcome(id = "SKIPPED_AFTER_DEADLOCK", expect = Expect.FORBIDDEN,
        desc = "not run: an earlier sample of this JVM deadlocked or got stuck")
@Outcome(id = "STUCK", expect = Expect.FORBIDDEN, desc = "a thread did not finish within 10 s, with no lock cycle: a livelock?")
@Outcome(expect = Expect.FORBIDDEN, desc = "all finished, but money was lost or created: a transfer was not atomic")
@State
public class DeadlockStress {
    private static final long ROUND_MS = 220;
    private static final long SLICE_MS = 50;
    private static final long STUCK_MS = 10_000;
    private static final int DONE = 1, DEADLOCK = 2, STUCK = 3, SKIPPED = 4;
    /** Set once a sample deadlocked or got stuck: later samples of this JVM are not run. */
    private static volatile boolean givenUp;

    private final Account a = new Account("A", 1_000_000);
    private final Account b = new Account("B", 1_000_000);
    private final AtomicInteger arrived = new AtomicInteger();
    private int first;
    private int second;

    @Actor
    public void f1ThenF2() {
        first = runInHelper(() -> {
            Bank.transfer(a, b, 1);
            Bank.transfer(b, a, 1);
        });
    }

    @Actor
    public void f2ThenF1() {
        second = runInHelper(() -> {
            Bank.transfer(b, a, 1);
            Bank.transfer(a, b, 1);
        });
    }

    @Arbiter
    public void arbiter(L_Result r) {
        if (first == DONE && second == DONE) {
            r.r1 = "A=" + a.balance() + " B=" + b.balance(); // no lock is held any more: balance() cannot block
        } else if (first == DEADLOCK || second == DEADLOCK) {
            r.r1 = "DEADLOCK";
        } else if (first == STUCK || second == STUCK) {
            r.r1 = "STUCK";
        } else {
            r.r1 = "SKIPPED_AFTER_DEADLOCK";
        }
    }

    /** Repeats {@code pair} for ROUND_MS in a daemon helper thread, started with the other actor's helper; never blocks for good. */
    private int runInHelper(Runnable pair) {
        if (givenUp) return SKIPPED;
        Thread helper = new Thread(() -> {
            awaitTheOther();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ROUND_MS);
            while (System.nanoTime() < end) {
                for (int i = 0; i < 100; i++) pair.run();
            }
        }, "transfers");
        helper.setDaemon(true);
        helper.start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STUCK_MS);
        try {
            while (true) {
                helper.join(SLICE_MS);
                if (!helper.isAlive()) return DONE;
                if (inLockCycle(helper)) {
                    givenUp = true;
                    return DEADLOCK;
                }
                if (System.nanoTime() > deadline) {
                    givenUp = true;
                    return STUCK;
                }
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A two-thread start line: both helpers spin until both are there (at most 1 s), then go at the same instant. */
    private void awaitTheOther() {
        arrived.incrementAndGet();
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (arrived.get() < 2 && System.nanoTime() < giveUp) Thread.onSpinWait();
    }

    private static boolean inLockCycle(Thread t) {
        long[] ids = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
        return ids != null && Arrays.stream(ids).anyMatch(id -> id == t.getId());
    }
}
