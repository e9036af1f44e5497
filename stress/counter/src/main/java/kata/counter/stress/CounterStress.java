package kata.counter.stress;

import kata.counter.Counter;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * Two threads increment the same counter at the same moment, millions of times, on real cores;
 * the arbiter reads it after both are done. Anything but 2 is a lost update.
 */
@JCStressTest
@Outcome(id = "2", expect = Expect.ACCEPTABLE, desc = "both increments counted")
@Outcome(id = "1", expect = Expect.FORBIDDEN, desc = "lost update: both threads read 0 and wrote 1")
@Outcome(expect = Expect.FORBIDDEN, desc = "impossible for a counter that starts at 0")
@State
public class CounterStress {
    private final Counter counter = new Counter();

    @Actor
    public void actor1() {
        counter.increment();
    }

    @Actor
    public void actor2() {
        counter.increment();
    }

    @Arbiter
    public void arbiter(I_Result r) {
        r.r1 = counter.get();
    }
}
