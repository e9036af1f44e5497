package kata.semaphore.stress;

import kata.semaphore.BoundedSemaphore;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZI_Result;

/**
 * A semaphore of 2 permits with one taken; two threads release at once. Only one release is
 * covered by an acquire, so exactly one must be refused (IllegalStateException), and afterwards
 * both permits are free. r1, r2: whether each release was refused; r3: the free permits.
 */
@JCStressTest
@Outcome(id = {"true, false, 2", "false, true, 2"}, expect = Expect.ACCEPTABLE, desc = "one release accepted, the extra one refused")
@Outcome(id = "false, false, .*", expect = Expect.FORBIDDEN, desc = "both accepted: more permits than the bound")
@Outcome(id = "true, true, .*", expect = Expect.FORBIDDEN, desc = "both refused: the taken permit never came back")
@Outcome(expect = Expect.FORBIDDEN, desc = "the count of free permits is wrong afterwards")
@State
public class ReleaseStress {
    private final BoundedSemaphore semaphore = new BoundedSemaphore(2);

    public ReleaseStress() {
        semaphore.tryAcquire();
    }

    @Actor
    public void actor1(ZZI_Result r) {
        r.r1 = refused();
    }

    @Actor
    public void actor2(ZZI_Result r) {
        r.r2 = refused();
    }

    @Arbiter
    public void arbiter(ZZI_Result r) {
        r.r3 = semaphore.availablePermits();
    }

    private boolean refused() {
        try {
            semaphore.release();
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
