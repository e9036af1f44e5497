package kata.event.stress;

import java.util.concurrent.TimeUnit;
import kata.event.Event;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * A timed waiter and a setter: actor1 waits with {@code await(1 s)}, actor2 calls {@code set()}.
 * Whenever actor1 returns, the event has been set (nobody clears it), so its result must be true
 * (r1); afterwards isSet() is true (r2). A false result means the wait missed the set() and ran
 * into its timeout, or reports the wrong result.
 */
@JCStressTest
@Outcome(id = "true, true", expect = Expect.ACCEPTABLE, desc = "the waiter saw the set() and said so")
@Outcome(id = "false, .*", expect = Expect.FORBIDDEN, desc = "await(1 s) returned false although set() came well within the second")
@Outcome(expect = Expect.FORBIDDEN, desc = "isSet() is false after set()")
@State
public class TimedAwaitStress {
    private final Event event = new Event();

    @Actor
    public void waiter(ZZ_Result r) {
        try {
            r.r1 = event.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            r.r1 = false;
        }
    }

    @Actor
    public void setter() {
        event.set();
    }

    @Arbiter
    public void arbiter(ZZ_Result r) {
        r.r2 = event.isSet();
    }
}
