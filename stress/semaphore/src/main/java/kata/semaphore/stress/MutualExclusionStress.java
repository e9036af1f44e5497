package kata.semaphore.stress;

import java.util.concurrent.TimeUnit;
import kata.semaphore.BoundedSemaphore;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * A semaphore of one permit used as a mutex by two threads: actor1 waits in {@code acquire()},
 * actor2 in {@code tryAcquire(1 s)}; each increments a plain counter while holding the permit and
 * releases it. r1: the counter (2 unless both were inside at once); r2: the free permits
 * afterwards (1); r3: 1 if actor2's tryAcquire(1 s) gave up (the permit never came back).
 *
 * <p>actor2's timed wait keeps the harness from hanging on a semaphore that loses a permit;
 * only one whose acquire() never returns would stop the run, and the checker then reports the
 * thread dump.
 */
@JCStressTest
@Outcome(id = "2, 1, 0", expect = Expect.ACCEPTABLE, desc = "both increments counted, the permit free again")
@Outcome(id = "1, .*, 0", expect = Expect.FORBIDDEN, desc = "lost increment: both threads were inside at once")
@Outcome(id = ".*, .*, 1", expect = Expect.FORBIDDEN, desc = "tryAcquire(1 s) gave up: the permit was not released")
@Outcome(expect = Expect.FORBIDDEN, desc = "the count of free permits is wrong afterwards")
@State
public class MutualExclusionStress {
    private final BoundedSemaphore semaphore = new BoundedSemaphore(1);
    private int count;

    @Actor
    public void actor1() {
        try {
            semaphore.acquire();
        } catch (InterruptedException e) {
            return;
        }
        count++;
        semaphore.release();
    }

    @Actor
    public void actor2(III_Result r) {
        try {
            if (!semaphore.tryAcquire(1, TimeUnit.SECONDS)) {
                r.r3 = 1;
                return;
            }
        } catch (InterruptedException e) {
            r.r3 = 1;
            return;
        }
        count++;
        semaphore.release();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r1 = count;
        r.r2 = semaphore.availablePermits();
    }
}
