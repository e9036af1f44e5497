package kata.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * Model checking: Lincheck runs each block under many thread interleavings, chosen
 * systematically, and prints the one that breaks an assertion step by step. The pool's own
 * worker thread is one of the threads it schedules: read the table to see what the worker did
 * between the caller's "is it done?" and the caller's next step.
 *
 * <p>Only untimed calls are checked here (under the model checker {@code System.nanoTime()} does
 * not advance, so a timed wait would look like a hang); the blocks end with {@code close()},
 * after which every worker has finished and nothing can run any more.
 */
class PoolLincheckTest {
    /** Interleavings explored per check: the naive pools fail within a few dozen. */
    private static final int INVOCATIONS = 30;

    @Test
    @Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("Lincheck: onDone registered while the worker completes the task runs exactly once; done means the result is there")
    void onDoneRacesCompletion() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            WorkerPool pool = new WorkerPool(1);
            AtomicInteger calls = new AtomicInteger();
            AtomicReference<String> seen = new AtomicReference<>("never called");
            Task<Integer> task = pool.submit(() -> 42);
            task.onDone(t -> {           // races the worker, which may be completing the task right now
                calls.incrementAndGet();
                seen.set(describe(t));
            });
            String caller = task.isDone() ? describe(task) : "done, 42"; // races the worker too
            pool.close();                // every worker has finished: no callback can still come
            assertEquals(1, calls.get(), "onDone(callback) was called once, while the worker completed the task, so the"
                    + " callback must run exactly once; it ran " + calls.get() + " times"
                    + (calls.get() == 0 ? ": the caller saw 'not done' and added it to the list after the worker had"
                    + " already taken the list (check-then-act: the check and the add must be one step)"
                    : ": both the worker and the caller ran it"));
            assertEquals("done, 42", seen.get(), "the callback must get the task done, with the job's result");
            assertEquals("done, 42", caller, "isDone() said true, so get() must return the job's result at once:"
                    + " the task was marked done before its result was stored");
        });
    }

    private static String describe(Task<?> t) {
        try {
            return t.isDone() ? "done, " + t.get() : "not done";
        } catch (Exception e) {
            return "get() threw " + e;
        }
    }
}
