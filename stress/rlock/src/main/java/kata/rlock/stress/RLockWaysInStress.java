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
 * The two other ways in, raced on real cores: actor1 takes the lock with {@code tryLock()}
 * (never waits), actor2 with {@code tryLock(1 s)} (waits). Each one that gets it counts once and
 * lets go. ({@link RLockStress} races {@code lock()} against {@code tryLock(1 s)}.)
 *
 * <p>r1 is the count, r2 and r3 say how actor1 and actor2 did: 0 = did not get the lock,
 * 1 = got it and unlocked cleanly, 2 = got it, but its unlock() threw IllegalMonitorStateException
 * (another thread had taken the lock over while it was inside).
 */
@JCStressTest
@Outcome(id = {"2, 1, 1", "1, 0, 1"}, expect = Expect.ACCEPTABLE, desc = "one after the other (actor1's tryLock may find it taken)")
@Outcome(id = "1, 1, 1", expect = Expect.FORBIDDEN, desc = "lost increment: both threads were inside at once")
@Outcome(id = {"\\d+, 2, \\d+", "\\d+, \\d+, 2"}, expect = Expect.FORBIDDEN,
        desc = "unlock() threw: the other thread had taken the lock while this one held it")
@Outcome(id = "\\d+, \\d+, 0", expect = Expect.FORBIDDEN, desc = "tryLock(1 s) gave up: the lock was never freed")
@Outcome(expect = Expect.FORBIDDEN, desc = "anything else is wrong")
@State
public class RLockWaysInStress {
    private final RLock lock = new RLock();
    private int count;

    @Actor
    public void actor1(III_Result r) {
        r.r2 = lock.tryLock() ? countAndUnlock() : 0;
    }

    @Actor
    public void actor2(III_Result r) {
        boolean got;
        try {
            got = lock.tryLock(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            got = false;
        }
        r.r3 = got ? countAndUnlock() : 0;
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r1 = count;
    }

    private int countAndUnlock() {
        count++;
        try {
            lock.unlock();
            return 1;
        } catch (IllegalMonitorStateException e) {
            return 2;
        }
    }
}
