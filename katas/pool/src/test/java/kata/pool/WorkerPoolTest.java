package kata.pool;

import static kata.pool.Pools.LIMIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import kata.support.Threads;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * The story on real threads, then the contract of submit, onSuccess and onDone. Every call that
 * can block runs through {@link Pools} with a limit, so a hang fails with a diagnosis;
 * {@code @Timeout} is only the backstop.
 */
class WorkerPoolTest {

    @Test
    @DisplayName("new WorkerPool(0) and new WorkerPool(-1) throw IllegalArgumentException")
    void needsAtLeastOneWorker() {
        for (int workers : new int[] {0, -1}) {
            assertThrows(IllegalArgumentException.class, () -> new WorkerPool(workers),
                    "a pool of " + workers + " workers could never run a job: the constructor must refuse it");
        }
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("the story: Pool(5), 10 x apply_async(Foo, i, callback=Bar): every result is i+100 and Bar saw each one")
    void storyApplyAsyncWithCallback() throws Exception {
        WorkerPool pool = new WorkerPool(5);
        try {
            Set<Integer> barSaw = ConcurrentHashMap.newKeySet();
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int arg = i;
                tasks.add(pool.submit(() -> arg + 100, barSaw::add)); // Foo(i) = i + 100, callback=Bar
            }
            for (int i = 0; i < 10; i++) {
                Task<Integer> task = tasks.get(i);
                assertEquals(Integer.valueOf(i + 100), Pools.value("get() of job " + i, task::get), "Foo(" + i + ") returns " + (i + 100));
                assertTrue(barSaw.contains(i + 100), "get() of job " + i + " returned, so its callback Bar must already"
                        + " have run (onSuccess runs in the worker BEFORE the task is done), but Bar never saw " + (i + 100));
            }
            Pools.close(pool);
            assertEquals(10, barSaw.size(), "Bar must have seen 10 different results, saw " + new TreeSet<>(barSaw));
        } finally {
            Pools.closeQuietly(pool);
        }
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("the story: submit(func1(5, 10)).onDone(func2): func2 gets the done task, whose result is 15")
    void storySubmitThenOnDone() {
        WorkerPool pool = new WorkerPool(5);
        try {
            AtomicReference<String> func2Saw = new AtomicReference<>();
            CountDownLatch func2Ran = new CountDownLatch(1);
            Task<Integer> task = pool.submit(() -> 5 + 10);
            task.onDone(t -> {
                try {
                    func2Saw.set("isDone()=" + t.isDone() + ", get()=" + t.get() + ", same task=" + (t == task));
                } catch (Exception e) {
                    func2Saw.set("get() threw " + e);
                }
                func2Ran.countDown();
            });
            Pools.expect(func2Ran, "the onDone callback func2 never ran within " + LIMIT.toSeconds() + " s");
            assertEquals("isDone()=true, get()=15, same task=true", func2Saw.get(),
                    "func2 must be called with the task itself, already done, holding func1's result 15");
        } finally {
            Pools.closeQuietly(pool);
        }
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("a job that throws: get() throws ExecutionException with that exception as the cause; onSuccess is not called, onDone is")
    void jobExceptionReachesGet() {
        WorkerPool pool = new WorkerPool(2);
        try {
            IllegalStateException boom = new IllegalStateException("the job fails on purpose (thrown by the test)");
            AtomicInteger onSuccessCalls = new AtomicInteger();
            CountDownLatch onDoneRan = new CountDownLatch(1);
            Task<Integer> task = pool.submit(() -> {
                throw boom;
            }, v -> onSuccessCalls.incrementAndGet());
            task.onDone(t -> onDoneRan.countDown());
            Pools.Outcome<Integer> got = Pools.call("get", LIMIT, task::get);
            assertTrue(got.thrown() instanceof ExecutionException, "get() of a job that threw must throw"
                    + " ExecutionException, but it " + (got.thrown() == null ? "returned " + got.value() : "threw " + got.thrown()));
            assertSame(boom, got.thrown().getCause(), "the ExecutionException's cause must be the job's own exception");
            assertTrue(task.isDone(), "a job that threw is done too");
            assertEquals(0, onSuccessCalls.get(), "onSuccess is for a job that returned normally; this one threw");
            Pools.expect(onDoneRan, "onDone callbacks run however the job ended, but this one never ran after the job threw");
            Pools.Outcome<Integer> again = Pools.call("get-timeout", LIMIT, () -> task.get(1, java.util.concurrent.TimeUnit.SECONDS));
            assertTrue(again.thrown() instanceof ExecutionException && again.thrown().getCause() == boom,
                    "get(timeout) of a failed task must throw ExecutionException with the job's exception too, but got " + again);
        } finally {
            Pools.closeQuietly(pool);
        }
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("onSuccess runs in the worker before the task is done, so get() returns only after it ran")
    void onSuccessRunsBeforeDone() {
        WorkerPool pool = new WorkerPool(1);
        try {
            CountDownLatch submitted = new CountDownLatch(1);
            AtomicReference<Task<String>> ref = new AtomicReference<>();
            AtomicReference<String> seenInOnSuccess = new AtomicReference<>();
            AtomicReference<Thread> worker = new AtomicReference<>();
            AtomicBoolean onSuccessFinished = new AtomicBoolean();
            Task<String> task = pool.submit(() -> {
                worker.set(Thread.currentThread());
                return "Foo";
            }, v -> {
                try {
                    Pools.gate(submitted);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                seenInOnSuccess.set("result " + v + ", isDone()=" + ref.get().isDone()
                        + ", in the job's worker=" + (Thread.currentThread() == worker.get()));
                onSuccessFinished.set(true);
            });
            ref.set(task);
            submitted.countDown();
            assertEquals("Foo", Pools.value("get()", task::get));
            assertTrue(onSuccessFinished.get(), "get() returned before onSuccess had finished: onSuccess must run before the"
                    + " task is done (as in Python's apply_async, whose get() comes after the callback)");
            assertEquals("result Foo, isDone()=false, in the job's worker=true", seenInOnSuccess.get(),
                    "onSuccess gets the result in the worker that ran the job, while the task is not done yet");
        } finally {
            Pools.closeQuietly(pool);
        }
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("an onSuccess that throws leaves the task's result as it was")
    void throwingOnSuccessKeepsTheResult() {
        WorkerPool pool = new WorkerPool(1);
        try {
            Task<Integer> task = pool.submit(() -> 42, v -> {
                throw new IllegalStateException("onSuccess fails on purpose (thrown by the test)");
            });
            Pools.Outcome<Integer> got = Pools.call("get", LIMIT, task::get);
            assertEquals(new Pools.Outcome<>(42, null), got, "the job returned 42; an exception from its onSuccess callback is"
                    + " reported, but it must not change the task's result (nor make get() throw)");
            assertTrue(task.isDone(), "the task is done");
        } finally {
            Pools.closeQuietly(pool);
        }
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("onDone on a task that is already done runs the callback at once, in the caller, exactly once")
    void onDoneAfterCompletionRunsAtOnceInTheCaller() {
        WorkerPool pool = new WorkerPool(2);
        try {
            Task<Integer> task = pool.submit(() -> 7);
            assertEquals(Integer.valueOf(7), Pools.value("get()", task::get));
            Pools.Outcome<List<String>> ran = Pools.call("registers", LIMIT, () -> {
                List<String> calls = new ArrayList<>();
                Thread me = Thread.currentThread();
                task.onDone(t -> calls.add("first in " + (Thread.currentThread() == me ? "the caller" : Thread.currentThread().getName())));
                task.onDone(t -> calls.add("second in " + (Thread.currentThread() == me ? "the caller" : Thread.currentThread().getName())));
                return new ArrayList<>(calls); // what had run by the time onDone returned
            });
            assertEquals(List.of("first in the caller", "second in the caller"), ran.value("onDone on a done task"),
                    "the task was already done: each onDone(callback) must run its callback at once, in the calling"
                    + " thread, before onDone returns, and exactly once");
        } finally {
            Pools.closeQuietly(pool);
        }
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("callbacks registered while the job runs all run exactly once, after it is done")
    void onDoneBeforeCompletionRunsEachOnce() {
        WorkerPool pool = new WorkerPool(1);
        try {
            CountDownLatch release = new CountDownLatch(1);
            Task<String> task = pool.submit(() -> {
                Pools.gate(release);
                return "done";
            });
            AtomicInteger[] calls = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
            AtomicReference<String> notDone = new AtomicReference<>();
            for (AtomicInteger count : calls) {
                task.onDone(t -> {
                    if (!t.isDone()) notDone.set("a callback ran while isDone() was still false");
                    count.incrementAndGet();
                });
            }
            assertFalse(task.isDone(), "the job is still blocked: the task is not done yet");
            for (AtomicInteger count : calls) assertEquals(0, count.get(), "a callback ran before the job finished");
            release.countDown();
            assertEquals("done", Pools.value("get()", task::get));
            Pools.close(pool); // now every worker has finished: no callback can still be running or come again
            for (int i = 0; i < calls.length; i++) {
                assertEquals(1, calls[i].get(), "callback " + (i + 1) + " of 3 must run exactly once, ran " + calls[i].get() + " times");
            }
            assertEquals(null, notDone.get());
        } finally {
            Pools.closeQuietly(pool);
        }
    }

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("a pool of 3 runs 3 jobs at once, never 4, always on the same 3 threads")
    void neverMoreThanWorkersAtOnce() {
        int workers = 3;
        int jobs = 3 * workers;
        WorkerPool pool = new WorkerPool(workers);
        try {
            AtomicInteger running = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            Set<String> threads = ConcurrentHashMap.newKeySet();
            CountDownLatch allWorkersBusy = new CountDownLatch(workers);
            CountDownLatch oneTooMany = new CountDownLatch(workers + 1);
            CountDownLatch release = new CountDownLatch(1);
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                int n = i;
                tasks.add(pool.submit(() -> {
                    threads.add(Thread.currentThread().getName());
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    allWorkersBusy.countDown();
                    oneTooMany.countDown();
                    Pools.gate(release); // held until the test has looked
                    running.decrementAndGet();
                    return n;
                }));
            }
            Pools.expect(allWorkersBusy, "a pool of " + workers + " workers was given " + jobs + " jobs that block, but only "
                    + (workers - allWorkersBusy.getCount()) + " of them started: every worker should take one (is a lock held"
                    + " while a job runs?)");
            // All workers are busy and blocked: a correct pool starts no other job. Give a broken one a moment to.
            boolean extra = Pools.await(oneTooMany, Duration.ofMillis(300));
            int atOnce = running.get();
            release.countDown();
            for (int i = 0; i < jobs; i++) {
                int n = i;
                assertEquals(Integer.valueOf(n), Pools.value("get() of job " + n, () -> tasks.get(n).get()));
            }
            assertFalse(extra, atOnce + " jobs ran at the same time in a pool of " + workers + " workers: a job must wait"
                    + " in the queue until a worker is free");
            assertTrue(most.get() <= workers, most.get() + " jobs ran at once in a pool of " + workers);
            assertTrue(threads.size() <= workers, jobs + " jobs ran on " + threads.size() + " different threads "
                    + threads.stream().sorted().collect(Collectors.toList()) + ": a pool of " + workers + " runs every job on"
                    + " one of its " + workers + " workers; a new thread per job is not a pool");
        } finally {
            Pools.closeQuietly(pool);
        }
    }

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("4 threads each submit 500 jobs with a callback: every job runs once, every callback once")
    void concurrentSubmitters() {
        WorkerPool pool = new WorkerPool(3);
        try {
            int perThread = 500;
            AtomicInteger jobsRun = new AtomicInteger();
            AtomicInteger callbacks = new AtomicInteger();
            List<List<Task<Integer>>> submitted = new ArrayList<>();
            for (int i = 0; i < 4; i++) submitted.add(new ArrayList<>());
            Threads.runConcurrently("submitter", 4, LIMIT, i -> {
                for (int k = 0; k < perThread; k++) {
                    int v = i * perThread + k;
                    submitted.get(i).add(pool.submit(() -> {
                        jobsRun.incrementAndGet();
                        return v;
                    }, r -> callbacks.incrementAndGet()));
                }
            });
            Pools.close(pool);
            for (int i = 0; i < 4; i++) {
                for (int k = 0; k < perThread; k++) {
                    Task<Integer> t = submitted.get(i).get(k);
                    assertTrue(t.isDone(), "close() returned, so every accepted job must have run; job " + k + " of submitter "
                            + i + " is not done: it was lost (two submits at once corrupted the queue?)");
                    assertEquals(Integer.valueOf(i * perThread + k), Pools.value("get()", t::get));
                }
            }
            assertEquals(4 * perThread, jobsRun.get(), "each of the " + 4 * perThread + " jobs must run exactly once");
            assertEquals(4 * perThread, callbacks.get(), "each job's onSuccess must run exactly once");
        } catch (AssertionError e) {
            throw e;
        } catch (RuntimeException e) {
            fail("submit() threw while 4 threads submitted at once: " + e, e);
        } finally {
            Pools.closeQuietly(pool);
        }
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("4 threads register 200 callbacks each while the job runs, one more thread as it completes: each runs exactly once")
    void concurrentOnDoneRegistrations() {
        WorkerPool pool = new WorkerPool(1);
        try {
            CountDownLatch release = new CountDownLatch(1);
            Task<Integer> task = pool.submit(() -> {
                Pools.gate(release);
                return 1;
            });
            int perThread = 200;
            AtomicInteger[][] calls = new AtomicInteger[5][perThread];
            for (AtomicInteger[] row : calls) for (int k = 0; k < perThread; k++) row[k] = new AtomicInteger();
            Threads.runConcurrently("registrar", 5, LIMIT, i -> {
                if (i == 4) release.countDown(); // the fifth thread lets the job finish while it registers
                for (int k = 0; k < perThread; k++) {
                    AtomicInteger count = calls[i][k];
                    task.onDone(t -> count.incrementAndGet());
                }
            });
            Pools.close(pool); // every worker has finished: no callback can still be running or come again
            for (int i = 0; i < 5; i++) {
                for (int k = 0; k < perThread; k++) {
                    int n = calls[i][k].get();
                    assertEquals(1, n, "callback " + k + " of registering thread " + i + " ran " + n + " times; every"
                            + " callback must run exactly once (registrations at the same time must not overwrite each"
                            + " other in the list, nor slip past the worker as it completes the task)");
                }
            }
        } finally {
            Pools.closeQuietly(pool);
        }
    }
}
