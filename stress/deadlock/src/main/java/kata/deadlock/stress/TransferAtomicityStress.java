package kata.deadlock.stress;

import kata.deadlock.Account;
import kata.deadlock.Bank;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

/**
 * Two transfers of 60 out of one account holding 100, at the same moment: A -> B and A -> C.
 * A transfer is atomic, balance check included: exactly one goes through, the other is refused
 * (IllegalStateException) and moves nothing, and no money is lost or created. (Both transfers
 * start at A, so even the story's lock order cannot deadlock here; DeadlockStress covers that.)
 */
@JCStressTest
@Outcome(id = {"40, 60, 0", "40, 0, 60"}, expect = Expect.ACCEPTABLE, desc = "one transfer went through, the other was refused")
@Outcome(id = "-20, 60, 60", expect = Expect.FORBIDDEN,
        desc = "overdraft: both saw 100 before either withdrew (the balance check ran outside the lock)")
@Outcome(id = "100, 0, 0", expect = Expect.FORBIDDEN, desc = "both refused, with enough money for one")
@Outcome(expect = Expect.FORBIDDEN, desc = "money lost or created: a transfer was not atomic")
@State
public class TransferAtomicityStress {
    private final Account a = new Account("A", 100);
    private final Account b = new Account("B", 0);
    private final Account c = new Account("C", 0);

    @Actor
    public void aToB() {
        try {
            Bank.transfer(a, b, 60);
        } catch (IllegalStateException refused) {
            // the other transfer got there first: fine
        }
    }

    @Actor
    public void aToC() {
        try {
            Bank.transfer(a, c, 60);
        } catch (IllegalStateException refused) {
            // the other transfer got there first: fine
        }
    }

    @Arbiter
    public void arbiter(JJJ_Result r) {
        r.r1 = a.balance();
        r.r2 = b.balance();
        r.r3 = c.balance();
    }
}
