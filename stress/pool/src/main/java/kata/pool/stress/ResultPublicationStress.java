package kata.pool.stress;

import java.util.concurrent.ExecutionException;
import kata.pool.Task;
import kata.pool.WorkerPool;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The result of a job is written by a worker thread and read by another thread: nothing but the
 * task itself orders the worker's writes before the reader's reads. Each job builds a {@link Box}
 * whose plain fields the worker writes; the reader must see them all once the task says done.
 *
 * <p>actor1 submits a job and polls {@code isDone()} (a bounded number of times, so the worker
 * gets the CPU back): the moment it sees the task done it reads the result. actor2 submits a job
 * and waits in {@code get()}. r1/r2: the box's value (42), 0 if the result or its fields were not
 * there yet, -1 if actor1 stopped polling before the job was done (fine), -2 if get() threw.
 *
 * <p>All samples share one pool of one worker (a pool per sample would be a thread per sample):
 * the worker completes jobs while the actors poll and wait.
 */
@JCStressTest
@Outcome(id = "42, 42", expect = Expect.ACCEPTABLE, desc = "both readers saw the whole result")
@Outcome(id = "-1, 42", expect = Expect.ACCEPTABLE, desc = "actor1 stopped polling before its job was done (fine)")
@Outcome(id = {"0, .*", ".*, 0"}, expect = Expect.FORBIDDEN,
        desc = "the task said done, but its result (or the result's fields) was not there: published without a happens-before edge")
@Outcome(expect = Expect.FORBIDDEN, desc = "get() threw on a job that returned normally")
@State
public class ResultPublicationStress {
    static final WorkerPool POOL = new WorkerPool(1);
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

    @Actor
    public void poller(II_Result r) {
        Task<Box> task = POOL.submit(Box::new);
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
    public void waiter(II_Result r) {
        r.r2 = read(POOL.submit(Box::new));
    }

    private static int read(Task<Box> task) {
        try {
            Box box = task.get();
            return box == null ? 0 : (box.a == 0 || box.b == 0 ? 0 : box.a + box.b);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -2;
        } catch (ExecutionException e) {
            return -2;
        }
    }
}
