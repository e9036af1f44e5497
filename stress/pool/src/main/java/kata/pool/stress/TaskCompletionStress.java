package kata.pool.stress;

import java.util.concurrent.ExecutionException;
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
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * A task completing in a worker while two other threads look at it, millions of times, on real
 * cores. Each actor submits a job that builds a {@link Box} (plain fields, written by the worker)
 * and at once registers an onDone callback, racing the worker that is finishing the job.
 *
 * <ul>
 *   <li>actor1 then polls {@code isDone()} (a bounded number of times, so the worker gets the CPU
 *       back) and reads the result the moment it sees the task done: r1 = 42 if the whole box is
 *       there, 0 if the result or one of its fields is not (published without a happens-before
 *       edge), -1 if it stopped polling before the job was done (fine).</li>
 *   <li>actor2 waits in {@code get()}: r2, read the same way.</li>
 *   <li>the arbiter waits for both tasks (at most 1 s), gives a callback still on its way at most
 *       200 ms, and counts how often each callback ran: r3 for actor1's, r4 for actor2's. Each must
 *       run exactly once, whether the worker ran it (registered before completion) or the actor
 *       (after).</li>
 * </ul>
 * All samples share one pool of one worker ({@link SharedPool}).
 */
@JCStressTest
@Outcome(id = "42, 42, 1, 1", expect = Expect.ACCEPTABLE, desc = "both results whole, each callback ran once")
@Outcome(id = "-1, 42, 1, 1", expect = Expect.ACCEPTABLE, desc = "the same; actor1 stopped polling before its job was done")
@Outcome(id = {"0, -?\\d+, -?\\d+, -?\\d+", "-?\\d+, 0, -?\\d+, -?\\d+"}, expect = Expect.FORBIDDEN,
        desc = "the task said done, but its result was not all there: published without a happens-before edge")
@Outcome(id = {"-?\\d+, -?\\d+, 0, -?\\d+", "-?\\d+, -?\\d+, -?\\d+, 0"}, expect = Expect.FORBIDDEN,
        desc = "a callback never ran: onDone saw 'not done' and added it after the worker had taken the list")
@Outcome(id = {"-?\\d+, -?\\d+, [2-9], -?\\d+", "-?\\d+, -?\\d+, -?\\d+, [2-9]"}, expect = Expect.FORBIDDEN,
        desc = "a callback ran more than once: the worker and the caller both ran it")
@Outcome(expect = Expect.FORBIDDEN, desc = "get() threw (-2), or a task was not done after 1 s (-1 in r3, r4)")
@State
public class TaskCompletionStress {
    static final WorkerPool POOL = SharedPool.ofOneWorker();
    private static final int POLLS = 20_000;

    /** Built by the worker; plain fields, so only the task's own synchronization publishes them. */
    static final class Box {
        int a;
        int b;

        Box() {
            a = 40;
            b = 2;
        }
    }

    private final AtomicInteger calls1 = new AtomicInteger();
    private final AtomicInteger calls2 = new AtomicInteger();
    private volatile Task<Box> task1;
    private volatile Task<Box> task2;

    @Actor
    public void poller(IIII_Result r) {
        Task<Box> task = POOL.submit(Box::new);
        task.onDone(t -> calls1.incrementAndGet());
        task1 = task;
        for (int i = 0; i < POLLS; i++) {
            if (task.isDone()) {
                r.r1 = read(task);
                return;
            }
            Thread.onSpinWait();
        }
        r.r1 = -1;
    }

    @Actor
    public void waiter(IIII_Result r) {
        Task<Box> task = POOL.submit(Box::new);
        task.onDone(t -> calls2.incrementAndGet());
        task2 = task;
        r.r2 = read(task);
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        boolean done = finished(task1) & finished(task2);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        while ((calls1.get() == 0 || calls2.get() == 0) && System.nanoTime() - deadline < 0) LockSupport.parkNanos(100_000);
        r.r3 = done ? calls1.get() : -1;
        r.r4 = done ? calls2.get() : -1;
    }

    private static int read(Task<Box> task) {
        try {
            Box box = task.get();
            return box == null || box.a == 0 || box.b == 0 ? 0 : box.a + box.b;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -2;
        } catch (ExecutionException e) {
            return -2;
        }
    }

    private static boolean finished(Task<Box> task) {
        try {
            task.get(1, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
