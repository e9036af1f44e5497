package kata.event.stress;

import kata.event.Event;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * Visibility: a thread spins on {@code isSet()} until it sees the flag; another thread calls
 * {@code set()}. The spinner must stop. If the flag is a plain field and nothing else orders the
 * two threads, the JIT may read it once and spin on the stale value forever: jcstress reports
 * that run as STALE.
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the spinner saw set()")
@Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the spinner never saw set(): the flag is not visible across threads")
@State
public class IsSetVisibilityStress {
    private final Event event = new Event();

    @Actor
    public void spinner() {
        while (!event.isSet()) {
            // spin: the story's "while not event.isSet(): pass"
        }
    }

    @Signal
    public void signal() {
        event.set();
    }
}
