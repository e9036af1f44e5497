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
 * Two threads race for the last free permit with {@code tryAcquire()}, millions of times on real
 * cores. r1, r2: what each got; r3: the permits free afterwards. Exactly one must win, and then
 * none is free.
 */
@JCStressTest
@Outcome(id = {"true, false, 0", "false, true, 0"}, expect = Expect.ACCEPTABLE, desc = "one thread got the permit")
@Outcome(id = "true, true, .*", expect = Expect.FORBIDDEN, desc = "both got the one permit: check-then-take is not one step")
@Outcome(id = "false, false, .*", expect = Expect.FORBIDDEN, desc = "a permit was free, yet neither got it")
@Outcome(expect = Expect.FORBIDDEN, desc = "the count of free permits is wrong afterwards")
@State
public class TryAcquireStress {
    private final BoundedSemaphore semaphore = new BoundedSemaphore(1);

    @Actor
    public void actor1(ZZI_Result r) {
        r.r1 = semaphore.tryAcquire();
    }

    @Actor
    public void actor2(ZZI_Result r) {
        r.r2 = semaphore.tryAcquire();
    }

    @Arbiter
    public void arbiter(ZZI_Result r) {
        r.r3 = semaphore.availablePermits();
    }
}
