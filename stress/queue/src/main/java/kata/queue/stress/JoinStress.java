package kata.queue.stress;

import kata.queue.JoinableQueue;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * join() against the taskDone() calls it waits for, and what the joiner sees afterwards.
 *
 * <p>Two items were put and taken before the actors start (two unfinished tasks). actor1 finishes
 * one, puts and takes one more item (changes a wrong join() may wake up for), writes 42 into a
 * plain field, then finishes the other two tasks. actor2 calls join() and then reads the field:
 * join() returns only after the last taskDone(), which came after the write, so it must see 42.
 * A join() that returns early (it checked the count once) or without synchronizing with the last
 * taskDone() can see 0.
 *
 * <p>A join() that never returns hangs this harness's run; the checker stops it at its limit and
 * reports where the threads wait.
 */
@JCStressTest
@Outcome(id = "42", expect = Expect.ACCEPTABLE, desc = "join() returned after the last taskDone() and saw what came before it")
@Outcome(id = "0", expect = Expect.FORBIDDEN, desc = "join() returned before the last taskDone() (or did not see the writes before it)")
@Outcome(expect = Expect.FORBIDDEN, desc = "join() threw")
@State
public class JoinStress {
    private final JoinableQueue<String> queue = new JoinableQueue<>(4);
    private int eaten; // plain field: only the queue's join()/taskDone() order it

    public JoinStress() {
        queue.offer("a");
        queue.offer("b");
        queue.poll();
        queue.poll();
    }

    @Actor
    public void actor1() {
        queue.taskDone();       // a: 1 task left
        queue.offer("c");       // 2 left; wakes whoever waits for items
        queue.poll();           // wakes whoever waits for room
        eaten = 42;
        queue.taskDone();       // b: 1 left
        queue.taskDone();       // c: 0 left, join() may return
    }

    @Actor
    public void actor2(I_Result r) {
        try {
            queue.join();
            r.r1 = eaten;
        } catch (InterruptedException e) {
            r.r1 = -1;
        }
    }
}
