package kata.pool.stress;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import kata.pool.Task;
import kata.pool.WorkerPool;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * onDone registered while a worker completes the task, on real cores: each actor submits a job
 * and at once registers a callback, racing the worker that is finishing the job. Whether the
 * callback is run by the worker (registered before completion) or by the actor (after), it must
 * run exactly once.
 *
 * <p>The arbiter waits for both tasks (get, at most 1 s), then gives a callback still on its way
 * at most 200 ms to arrive, and reports how often each ran: r1 for actor1's, r2 for actor2's.
 * All samples share one pool of one worker (a pool per sample would be a thread per sample).
 */
@JCStressTest
@Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "each callback ran exactly once")
@Outcome(id = {"0, .*", ".*, 0"}, expect = Expect.FORBIDDEN,
        desc = "a callback never ran: onDone saw 'not done' and added it after the worker had taken the list")
@Outcome(id = {"[2-9], .*", ".*, [2-9]"}, expect = Expect.FORBIDDEN,
        desc = "a callback ran more than once: the worker and the caller both ran it")
@Outcome(expect = Expect.FORBIDDEN, desc = "a task was not done after 1 s (-1)")
@State
public class OnDoneRacesCompletionStress {
    static final WorkerPool POOL = new WorkerPool(1);

    private final AtomicInteger first = new AtomicInteger();
    private final AtomicInteger second = new AtomicInteger();
    private volatile Task<Integer> task1;
    private volatile Task<Integer> task2;

    @Actor
    public void actor1() {
        Task<Integer> t = POOL.submit(() -> 1);
        t.onDone(x -> first.incrementAndGet());
        task1 = t;
    }

    @Actor
    public void actor2() {
        Task<Integer> t = POOL.submit(() -> 2);
        t.onDone(x -> second.incrementAndGet());
        task2 = t;
    }

    @Arbiter
    public void arbiter(II_Result r) {
        boolean done = finished(task1) & finished(task2);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        while ((first.get() == 0 || second.get() == 0) && System.nanoTime() < deadline) LockSupport.parkNanos(100_000);
        r.r1 = done ? first.get() : -1;
        r.r2 = done ? second.get() : -1;
    }

    private static boolean finished(Task<Integer> task) {
        try {
            task.get(1, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
