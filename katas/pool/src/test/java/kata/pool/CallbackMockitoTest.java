package kata.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * The callbacks as Mockito mocks: Mockito records every call a mock gets, from any thread, and
 * {@code verify} says how often it was called and with what. onSuccess runs before the task is
 * done, so once get() returned it can be verified at once; onDone callbacks may still be running
 * when get() returns, so they are verified with a bounded wait ({@code timeout(...)}), and again
 * after close(), when no worker is left to call them a second time.
 */
class CallbackMockitoTest {
    private static final long WAIT_MS = Pools.LIMIT.toMillis();

    @SuppressWarnings("unchecked")
    private static <T> Consumer<T> callback() {
        return mock(Consumer.class);
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("Mockito: the story's Bar (onSuccess) is called once per job, with Foo's result, before get() returns")
    void barIsCalledOncePerJob() {
        WorkerPool pool = new WorkerPool(5);
        try {
            Consumer<Integer> bar = callback();
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int arg = i;
                tasks.add(pool.submit(() -> arg + 100, bar));
            }
            for (int i = 0; i < 10; i++) {
                int n = i;
                Pools.value("get() of job " + n, () -> tasks.get(n).get());
                verify(bar, times(1)).accept(n + 100); // already: onSuccess ran before the task was done
            }
            Pools.close(pool);
            verifyNoMoreInteractions(bar);
        } finally {
            Pools.closeQuietly(pool);
        }
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("Mockito: func2 (onDone) is called exactly once, with the task, whether registered before or after completion")
    void func2IsCalledOnceWithTheTask() {
        WorkerPool pool = new WorkerPool(2);
        try {
            Consumer<Task<Integer>> before = callback();
            Consumer<Task<Integer>> after = callback();
            Task<Integer> task = pool.submit(() -> 5 + 10);
            task.onDone(before);
            verify(before, timeout(WAIT_MS).times(1)).accept(task);
            assertEquals(Integer.valueOf(15), Pools.value("get()", task::get));
            task.onDone(after);
            verify(after, times(1)).accept(task); // the task was done: called at once, before onDone returned
            Pools.close(pool);
            verifyNoMoreInteractions(before, after);
        } finally {
            Pools.closeQuietly(pool);
        }
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("Mockito: a job that throws: onSuccess is never called, onDone once")
    void failedJobCallsOnlyOnDone() {
        WorkerPool pool = new WorkerPool(1);
        try {
            Consumer<Integer> onSuccess = callback();
            Consumer<Task<Integer>> onDone = callback();
            Task<Integer> task = pool.submit(() -> {
                throw new IllegalStateException("the job fails on purpose (thrown by the test)");
            }, onSuccess);
            task.onDone(onDone);
            verify(onDone, timeout(WAIT_MS).times(1)).accept(task);
            Pools.close(pool);
            verify(onSuccess, never()).accept(anyInt());
            verifyNoMoreInteractions(onSuccess, onDone);
        } finally {
            Pools.closeQuietly(pool);
        }
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("Mockito: onDone callbacks that throw (stubbed with doThrow) are each called once, and the next job still runs")
    void throwingCallbacksAreCalledOnceAndTheWorkerGoesOn() {
        WorkerPool pool = new WorkerPool(1);
        try {
            Consumer<Task<Integer>> failing = callback();
            doThrow(new IllegalStateException("the callback fails on purpose (thrown by the test)")).when(failing).accept(any());
            java.util.concurrent.CountDownLatch registered = new java.util.concurrent.CountDownLatch(1);
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                Task<Integer> t = pool.submit(() -> {
                    Pools.gate(registered); // the callback is in place before the job ends: the worker runs it
                    return n;
                });
                t.onDone(failing);
                tasks.add(t);
            }
            registered.countDown();
            for (Task<Integer> t : tasks) verify(failing, timeout(WAIT_MS).times(1)).accept(t);
            Task<Integer> next = pool.submit(() -> 99);
            assertEquals(Integer.valueOf(99), Pools.value("get() after 3 failing callbacks", next::get),
                    "the pool's only worker must survive the callbacks' exceptions and run the next job");
            Pools.close(pool);
            verifyNoMoreInteractions(failing);
        } finally {
            Pools.closeQuietly(pool);
        }
    }
}
