package kata.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * An exception thrown by a job or by a callback belongs to that job: the worker that ran it goes
 * on with the next job. A worker that dies instead makes the pool one worker smaller, silently;
 * after as many exceptions as it had workers, nobody is left to run a job and every later
 * {@code get()} waits forever. These tests throw twice as many exceptions as the pool has
 * workers, then check that every worker is still there, and if a job is never started, say which
 * workers died and after which exception.
 *
 * <p>The exceptions are thrown on purpose; a pool that reports them prints their stack traces.
 */
class WorkerSurvivalTest {
    private static final int WORKERS = 2;
    /** How long a job may wait for a worker before the test calls the pool shrunk. */
    private static final Duration NO_WORKER = Duration.ofSeconds(3);

    private enum Thrower { JOB, ON_SUCCESS, ON_DONE }

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("jobs that throw do not kill their workers: after 4 failing jobs a pool of 2 still runs 2 jobs at once")
    void failingJobsKeepTheirWorkers() {
        survives(Thrower.JOB);
    }

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("onSuccess callbacks that throw do not kill their workers: after 4 of them a pool of 2 still runs 2 jobs at once")
    void failingOnSuccessKeepsTheWorkers() {
        survives(Thrower.ON_SUCCESS);
    }

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("onDone callbacks that throw do not kill their workers: after 4 of them a pool of 2 still runs 2 jobs at once")
    void failingOnDoneKeepsTheWorkers() {
        survives(Thrower.ON_DONE);
    }

    private static void survives(Thrower thrower) {
        WorkerPool pool = new WorkerPool(WORKERS);
        List<String> history = Collections.synchronizedList(new ArrayList<>());
        Map<String, Thread> workersSeen = Collections.synchronizedMap(new LinkedHashMap<>());
        try {
            for (int round = 1; round <= 2 * WORKERS; round++) {
                int r = round;
                CountDownLatch registered = new CountDownLatch(1);
                CountDownLatch started = new CountDownLatch(1);
                CountDownLatch threw = new CountDownLatch(1);
                AtomicReference<Thread> worker = new AtomicReference<>();
                String message = "round " + r + ": " + what(thrower) + " fails on purpose (thrown by the test)";
                Callable<Integer> job = () -> {
                    worker.set(Thread.currentThread());
                    workersSeen.put(Thread.currentThread().getName(), Thread.currentThread());
                    started.countDown();
                    Pools.gate(registered); // the callbacks are in place before the job ends, so the worker runs them
                    if (thrower == Thrower.JOB) {
                        threw.countDown();
                        throw new IllegalStateException(message);
                    }
                    return r;
                };
                Consumer<Integer> onSuccess = thrower != Thrower.ON_SUCCESS ? null : v -> {
                    threw.countDown();
                    throw new IllegalStateException(message);
                };
                Task<Integer> task = pool.submit(job, onSuccess);
                if (thrower == Thrower.ON_DONE) {
                    task.onDone(t -> {
                        threw.countDown();
                        throw new IllegalStateException(message);
                    });
                }
                registered.countDown();
                if (!Pools.await(started, NO_WORKER)) fail(shrunk("round " + r + ": a job", history, workersSeen));
                Pools.expect(threw, "round " + r + ": " + what(thrower) + " never ran");
                history.add("round " + r + ": the job ran on \"" + worker.get().getName() + "\", then " + what(thrower) + " threw");
                Pools.Outcome<Integer> got = Pools.call("get", Pools.LIMIT, task::get);
                if (thrower == Thrower.JOB) {
                    assertEquals(IllegalStateException.class, got.thrown() == null || got.thrown().getCause() == null ? null
                            : got.thrown().getCause().getClass(), "get() of a job that threw: ExecutionException with its exception");
                } else {
                    assertEquals(Integer.valueOf(r), got.value("get()"), "the job returned " + r + "; an exception from "
                            + what(thrower) + " must not change that");
                }
            }
            // Every worker must still be there: WORKERS blocking jobs must all be running at once.
            CountDownLatch allRunning = new CountDownLatch(WORKERS);
            CountDownLatch release = new CountDownLatch(1);
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < WORKERS; i++) {
                int n = i;
                tasks.add(pool.submit(() -> {
                    workersSeen.put(Thread.currentThread().getName(), Thread.currentThread());
                    allRunning.countDown();
                    Pools.gate(release);
                    return n;
                }));
            }
            boolean all = Pools.await(allRunning, NO_WORKER);
            long running = WORKERS - allRunning.getCount();
            release.countDown();
            if (!all) fail(shrunk("after " + 2 * WORKERS + " rounds, only " + running + " of " + WORKERS + " blocking jobs started;"
                    + " the others", history, workersSeen));
            for (int i = 0; i < WORKERS; i++) {
                int n = i;
                assertEquals(Integer.valueOf(n), Pools.value("get()", () -> tasks.get(n).get()));
            }
        } finally {
            Pools.closeQuietly(pool);
        }
    }

    private static String what(Thrower thrower) {
        return switch (thrower) {
            case JOB -> "the job";
            case ON_SUCCESS -> "its onSuccess callback";
            case ON_DONE -> "its onDone callback";
        };
    }

    /** The diagnosis when a job waits for a worker that never comes. */
    private static String shrunk(String waiting, List<String> history, Map<String, Thread> workersSeen) {
        StringBuilder out = new StringBuilder(waiting + " waited " + NO_WORKER.toSeconds() + " s and no worker started it.\n");
        synchronized (history) {
            history.forEach(h -> out.append("  ").append(h).append('\n'));
        }
        List<String> dead = new ArrayList<>();
        synchronized (workersSeen) {
            out.append("The workers that ran those jobs now:");
            workersSeen.forEach((name, t) -> {
                out.append(" \"").append(name).append("\" ").append(t.getState()).append(';');
                if (!t.isAlive()) dead.add(name);
            });
        }
        out.append('\n');
        if (!dead.isEmpty()) {
            out.append("POOL SHRANK: the pool has ").append(WORKERS).append(" workers, and ").append(dead.size())
               .append(" of them are dead. Each exception thrown by a job or a callback ended the worker that ran it, so"
                    + " the pool lost one worker per exception until none was left, and from then on every job waits in"
                    + " the queue forever (get() hangs). Catch what a job or a callback throws, report it, and keep the"
                    + " worker's loop going.");
        } else {
            out.append("The workers are alive, but none of them takes the job: are they stuck, or not waiting for new jobs?");
        }
        return out.toString();
    }
}
