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
 * No lost wake-up, on real cores: a thread calls {@code await()} while another calls
 * {@code set()}, in every timing jcstress can produce. The waiter must return. A waiter that
 * checks the flag, misses a set() that comes right then, and goes to sleep, never returns: STALE.
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "await() returned after set()")
@Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "await() never returned although the event was set: a lost wake-up")
@State
public class AwaitTerminationStress {
    private final Event event = new Event();

    @Actor
    public void waiter() {
        try {
            event.await();
        } catch (InterruptedException e) {
            // jcstress interrupts a waiter that did not finish; the run is then reported STALE
        }
    }

    @Signal
    public void signal() {
        event.set();
    }
}
