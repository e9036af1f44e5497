package kata.rlock.stress;

import java.util.concurrent.TimeUnit;
import kata.rlock.RLock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Two threads share one RLock and a plain counter, millions of times, on real cores.
 *
 * <p>actor1 takes the lock, counts, lets go, and at once takes it again (re-entering it once
 * more inside); actor2 waits for it in {@code lock()} and re-enters it the same way. Each
 * increment happens after the inner unlock, while the outer hold should still keep the other
 * thread out. The arbiter reads the counter: anything but 3 is a lost increment, i.e. both
 * threads were inside at once.
 *
 * <p>r2 and r3 are what went wrong in actor1 and actor2, as flags: 1 = the owner's tryLock() to
 * re-enter failed (not reentrant), 2 = tryLock(1 s) gave up (the lock was never released), 4 =
 * unlock() threw IllegalMonitorStateException although the thread had taken the lock (another
 * thread had taken it over, or an earlier unlock had already freed it).
 *
 * <p>It cannot hang on a lock that forgets to count: re-entering uses {@code tryLock()}, which
 * never waits, and actor1 takes the lock with {@code tryLock(1 s)}. Only a lock that is never
 * released again would keep actor2 in {@code lock()}; the checker stops that run with a thread dump.
 */
@JCStressTest
@Outcome(id = "3, 0, 0", expect = Expect.ACCEPTABLE, desc = "all 3 increments counted, clean re-entries and unlocks")
@Outcome(id = "[0-2], 0, 0", expect = Expect.FORBIDDEN, desc = "lost increment: both threads were inside at once")
@Outcome(id = {"\\d+, [1357], \\d+", "\\d+, \\d+, [1357]"}, expect = Expect.FORBIDDEN,
        desc = "flag 1: the owner could not re-enter: tryLock() said no")
@Outcome(id = {"\\d+, [4-7], \\d+", "\\d+, \\d+, [4-7]"}, expect = Expect.FORBIDDEN,
        desc = "flag 4: unlock() threw: the lock was not the caller's")
@Outcome(expect = Expect.FORBIDDEN, desc = "flag 2: tryLock(1 s) gave up: the lock was never freed")
@State
public class RLockStress {
    static final int NOT_REENTRANT = 1;
    static final int GAVE_UP = 2;
    static final int NOT_OWNER = 4;

    private final RLock lock = new RLock();
    private int count;

    @Actor
    public void actor1(III_Result r) {
        int flags = 0;
        if (tryLockForASecond()) {   // round 1: take it, count, let go
            count++;
            flags |= unlock();
        } else {
            flags |= GAVE_UP;
        }
        if (tryLockForASecond()) {   // round 2, at once: take it again, while actor2 may be waiting in lock()
            flags |= countReentrantly();
        } else {
            flags |= GAVE_UP;
        }
        r.r2 = flags;
    }

    @Actor
    public void actor2(III_Result r) {
        lock.lock();
        r.r3 = countReentrantly();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r1 = count;
    }

    /** Holding the lock once: re-enter, leave the inner hold, count (still holding the outer one), let go. */
    private int countReentrantly() {
        int flags = 0;
        if (lock.tryLock()) {
            flags |= unlock();
        } else {
            flags |= NOT_REENTRANT;
        }
        count++;
        flags |= unlock();
        return flags;
    }

    private boolean tryLockForASecond() {
        try {
            return lock.tryLock(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private int unlock() {
        try {
            lock.unlock();
            return 0;
        } catch (IllegalMonitorStateException e) {
            return NOT_OWNER;
        }
    }
}
