package kata.queue.stress;

import kata.queue.JoinableQueue;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Two threads poll() the last item of a queue at the same time, millions of times, on real cores.
 *
 * <p>r1, r2: what actor1 and actor2 got (1 = the item, 0 = null, 9 = something else). The arbiter
 * then reads size() into r3, and puts one more item and polls it back: r4 = 1 when it came out, 0
 * when it was lost. Exactly one poll gets the item, the queue is then empty and still works.
 */
@JCStressTest
@Outcome(id = {"1, 0, 0, 1", "0, 1, 0, 1"}, expect = Expect.ACCEPTABLE, desc = "one poll got the item, the other null; the queue still works")
@Outcome(id = "1, 1, .*", expect = Expect.FORBIDDEN, desc = "both polls got the one item: it came out twice")
@Outcome(id = "0, 0, .*", expect = Expect.FORBIDDEN, desc = "neither poll got the item")
@Outcome(id = "[01], [01], -?[1-9]\\d*, .*", expect = Expect.FORBIDDEN, desc = "size() is wrong after both polls (the queue's count is broken)")
@Outcome(id = ".*, 0", expect = Expect.FORBIDDEN, desc = "the next item put was lost: it never came out")
@Outcome(expect = Expect.FORBIDDEN, desc = "something else came out of the queue")
@State
public class TwoPollsStress {
    private static final Integer ITEM = 1;
    private static final Integer NEXT = 2;

    private final JoinableQueue<Integer> queue = new JoinableQueue<>(2);

    public TwoPollsStress() {
        queue.offer(ITEM);
    }

    @Actor
    public void actor1(IIII_Result r) {
        r.r1 = code(queue.poll());
    }

    @Actor
    public void actor2(IIII_Result r) {
        r.r2 = code(queue.poll());
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r3 = queue.size();
        boolean in = queue.offer(NEXT);
        Integer out = queue.poll();
        r.r4 = in && NEXT.equals(out) ? 1 : 0;
    }

    private static int code(Integer got) {
        if (got == null) return 0;
        return ITEM.equals(got) ? 1 : 9;
    }
}
