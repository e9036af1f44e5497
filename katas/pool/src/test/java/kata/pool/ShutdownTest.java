package kata.pool;

import static kata.pool.Pools.LIMIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import kata.support.Threads;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * shutdown(), awaitTermination() and close(): the pool stops taking jobs, still runs the ones it
 * took, and its workers end. Python's {@code pool.close(); pool.join()}.
 */
class ShutdownTest {

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("shutdown() returns at once; the running and queued jobs still run; new jobs are rejected")
    void shutdownDrainsAndRejects() {
        WorkerPool pool = new WorkerPool(1);
        try {
            CountDownLatch release = new CountDownLatch(1);
            Task<String> running = pool.submit(() -> {
                Pools.gate(release);
                return "running";
            });
            Task<String> queued1 = pool.submit(() -> "queued 1");
            Task<String> queued2 = pool.submit(() -> "queued 2", v -> { });
            Pools.value("shutdown()", () -> {
                pool.shutdown();
                return null;
            }); // with a job still blocked: shutdown() must not wait for it
            assertThrows(RejectedExecutionException.class, () -> pool.submit(() -> "late"),
                    "submit(job) after shutdown() must throw RejectedExecutionException");
            assertThrows(RejectedExecutionException.class, () -> pool.submit(() -> "late", v -> { }),
                    "submit(job, onSuccess) after shutdown() must throw RejectedExecutionException");
            assertFalse(running.isDone(), "shutdown() must not end a running job");
            release.countDown();
            assertTrue(Pools.value("awaitTermination(5 s)", () -> pool.awaitTermination(5, TimeUnit.SECONDS)),
                    "after shutdown() the pool must run what it had accepted and then end: awaitTermination(5 s) said false");
            assertEquals("running", Pools.value("get()", running::get));
            assertEquals("queued 1", Pools.value("get()", queued1::get), "a job queued before shutdown() must still run");
            assertEquals("queued 2", Pools.value("get()", queued2::get), "a job queued before shutdown() must still run");
            shutdownAgainIsHarmless(pool);
        } finally {
            Pools.closeQuietly(pool);
        }
    }

    private static void shutdownAgainIsHarmless(WorkerPool pool) {
        Pools.value("shutdown() again", () -> {
            pool.shutdown();
            return null;
        });
        assertTrue(Pools.value("awaitTermination", () -> pool.awaitTermination(0, TimeUnit.SECONDS)),
                "a terminated pool stays terminated: awaitTermination(0) must say true");
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("awaitTermination times out (false) while a job runs or before shutdown, and returns true as soon as the last worker ends")
    void awaitTerminationWaitsForTheWorkers() {
        WorkerPool pool = new WorkerPool(2);
        try {
            long start = System.nanoTime();
            boolean idle = Pools.value("awaitTermination(200 ms)", () -> pool.awaitTermination(200, TimeUnit.MILLISECONDS));
            long waited = Pools.millisSince(start);
            assertFalse(idle, "without shutdown() the workers wait for jobs forever: awaitTermination(200 ms) must say false");
            assertTrue(waited >= 150, "awaitTermination(200 ms) gave up after " + waited + " ms: it must wait the whole timeout");

            CountDownLatch release = new CountDownLatch(1);
            Task<Integer> task = pool.submit(() -> {
                Pools.gate(release);
                return 1;
            });
            pool.shutdown();
            assertFalse(Pools.value("awaitTermination(200 ms)", () -> pool.awaitTermination(200, TimeUnit.MILLISECONDS)),
                    "a job is still running: the pool has not terminated, awaitTermination(200 ms) must say false");
            Background<Boolean> waiter = Background.start("awaitTermination", () -> pool.awaitTermination(20, TimeUnit.SECONDS));
            Pools.untilBlocked(waiter.thread);
            assertFalse(waiter.finished(), "awaitTermination(20 s) returned while a job was still running");
            release.countDown();
            assertEquals(Boolean.TRUE, waiter.outcome(LIMIT, "awaitTermination(20 s), after the last job finished")
                    .value("awaitTermination"), "the last job finished after shutdown(): awaitTermination must say true");
            assertTrue(waiter.millis() < 10_000, "awaitTermination(20 s) took " + waiter.millis() + " ms: it must wake up"
                    + " when the last worker ends, not at the end of the timeout");
            assertTrue(task.isDone());
        } finally {
            Pools.closeQuietly(pool);
        }
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("an interrupted awaitTermination throws InterruptedException promptly")
    void awaitTerminationIsInterruptible() {
        WorkerPool pool = new WorkerPool(1);
        try {
            Background<Boolean> waiter = Background.start("awaitTermination", () -> pool.awaitTermination(30, TimeUnit.SECONDS));
            Pools.untilBlocked(waiter.thread);
            waiter.thread.interrupt();
            Pools.Outcome<Boolean> got = waiter.outcome(LIMIT, "an interrupted awaitTermination(30 s)");
            assertTrue(got.thrown() instanceof InterruptedException, "an interrupted awaitTermination must throw"
                    + " InterruptedException, but it " + (got.thrown() == null ? "returned " + got.value() : "threw " + got.thrown()));
            assertTrue(waiter.millis() < 10_000, "awaitTermination(30 s) noticed the interrupt only after " + waiter.millis() + " ms");
        } finally {
            Pools.closeQuietly(pool);
        }
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("close() waits for the running and queued jobs, leaves no worker alive, rejects new jobs, and may be called again")
    void closeWaitsAndLeavesNoWorkerAlive() {
        int workers = 3;
        WorkerPool pool = new WorkerPool(workers);
        try {
            Set<Thread> workerThreads = ConcurrentHashMap.newKeySet();
            CountDownLatch allBusy = new CountDownLatch(workers);
            CountDownLatch release = new CountDownLatch(1);
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 2 * workers; i++) {
                int n = i;
                tasks.add(pool.submit(() -> {
                    workerThreads.add(Thread.currentThread());
                    allBusy.countDown();
                    Pools.gate(release);
                    return n;
                }));
            }
            Pools.expect(allBusy, "a pool of " + workers + " never had " + workers + " jobs running at once");
            Background<Void> closer = Background.start("close", () -> {
                pool.close();
                return null;
            });
            Pools.untilBlocked(closer.thread);
            assertFalse(closer.finished(), "close() returned while jobs were still running: it must wait for the workers");
            release.countDown();
            closer.outcome(LIMIT, "close(), after the jobs were released").value("close()");
            for (int i = 0; i < tasks.size(); i++) {
                assertTrue(tasks.get(i).isDone(), "close() returned, but job " + i + " (queued before it) is not done:"
                        + " close() waits until every accepted job has run");
            }
            List<String> alive = new ArrayList<>();
            for (Thread t : workerThreads) {
                try {
                    t.join(1_000); // a worker may still be on its way out of run()
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                if (t.isAlive()) alive.add("\"" + t.getName() + "\" " + t.getState());
            }
            assertTrue(alive.isEmpty(), "close() returned, yet these workers are still alive: " + alive + ". close() is"
                    + " shutdown() and then waiting until every worker has ended: a worker must leave its loop once the"
                    + " pool is shut down and the queue is empty (is an idle worker never woken up?)");
            assertThrows(RejectedExecutionException.class, () -> pool.submit(() -> 0), "submit() after close() must be rejected");
            Pools.close(pool); // a second close() returns at once
        } finally {
            Pools.closeQuietly(pool);
        }
    }

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("submit racing shutdown (100 rounds): every job is either rejected or run, none is lost")
    void submitRacesShutdown() {
        for (int round = 1; round <= 100; round++) {
            WorkerPool pool = new WorkerPool(2);
            try {
                List<Task<Integer>> accepted = new ArrayList<>();
                int[] rejected = {0};
                Threads.runConcurrently("round-" + round, 2, LIMIT, i -> {
                    if (i == 1) {
                        pool.shutdown();
                        return;
                    }
                    for (int k = 0; k < 20; k++) {
                        try {
                            accepted.add(pool.submit(() -> 1));
                        } catch (RejectedExecutionException e) {
                            rejected[0]++;
                        }
                    }
                });
                assertTrue(Pools.value("awaitTermination(5 s)", () -> pool.awaitTermination(5, TimeUnit.SECONDS)),
                        "round " + round + ": the pool was shut down; it must end within 5 s");
                for (Task<Integer> t : accepted) {
                    assertTrue(t.isDone(), "round " + round + ": submit() accepted a job while shutdown() ran, but the"
                            + " pool terminated without running it: the job was lost. Check for shutdown and queue the"
                            + " job in one step, so a worker cannot leave between the two");
                }
                assertEquals(20, accepted.size() + rejected[0]);
            } finally {
                Pools.closeQuietly(pool);
            }
        }
    }
}
