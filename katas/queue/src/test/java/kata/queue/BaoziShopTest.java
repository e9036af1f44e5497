package kata.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * The story at scale: P cooks each put K baozi into one queue, C consumers take them, eat them
 * (mark them) and call taskDone(); each cook then calls join(). Every baozi must be eaten
 * exactly once, each consumer must get any one cook's baozi in the order that cook made them
 * (FIFO), a cook's join() must return only after every baozi it made was eaten, and the
 * consumers must stop cleanly at the end. The threads run under {@link Watched}: a run in which
 * every thread ends up waiting fails with ALL THREADS WAITING and where each one waits.
 */
class BaoziShopTest {
    private static final int CLOSED = -1; // the "shop is closed" baozi: a consumer that takes one goes home

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("the story: 1 cook, 10 baozi, 2 consumers; the cook's join() returns once all are eaten")
    void story() {
        shop(1, 2, 10, Integer.MAX_VALUE);
    }

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("3 cooks x 3 consumers x 400 baozi through a counter of 4: each eaten once, in order per cook, join waits for all")
    void busyShopSmallCounter() {
        shop(3, 3, 400, 4);
    }

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("2 cooks x 4 consumers x 400 baozi, unbounded queue")
    void busyShopUnbounded() {
        shop(2, 4, 400, Integer.MAX_VALUE);
    }

    private static void shop(int cooks, int consumers, int perCook, int capacity) {
        JoinableQueue<Integer> q = capacity == Integer.MAX_VALUE ? new JoinableQueue<>() : new JoinableQueue<>(capacity);
        Watched<Integer> watched = new Watched<>(q, capacity);
        AtomicIntegerArray eaten = new AtomicIntegerArray(cooks * perCook);
        CountDownLatch cooksDone = new CountDownLatch(cooks);
        AtomicInteger wentHome = new AtomicInteger();
        List<Runnable> tasks = new ArrayList<>();
        for (int c = 0; c < cooks; c++) {
            int cook = c;
            tasks.add(() -> {
                try {
                    for (int i = 0; i < perCook; i++) watched.put(cook * perCook + i);
                    watched.join();
                    for (int i = 0; i < perCook; i++) {
                        int bun = cook * perCook + i;
                        assertEquals(1, eaten.get(bun), "cook " + cook + "'s join() returned, but its baozi " + i
                                + " was eaten " + eaten.get(bun) + " times: join() must wait until every baozi put"
                                + " before it has been eaten and reported with taskDone()");
                    }
                } finally {
                    cooksDone.countDown();
                }
            });
        }
        for (int c = 0; c < consumers; c++) {
            tasks.add(() -> {
                int[] lastOfCook = new int[cooks];
                java.util.Arrays.fill(lastOfCook, -1);
                while (true) {
                    int bun = watched.take();
                    if (bun == CLOSED) {
                        watched.taskDone();
                        wentHome.incrementAndGet();
                        return;
                    }
                    int cook = bun / perCook;
                    int index = bun % perCook;
                    assertTrue(index > lastOfCook[cook], "a consumer got cook " + cook + "'s baozi " + index
                            + " after its baozi " + lastOfCook[cook] + ": the queue must hand out items first-in first-out");
                    lastOfCook[cook] = index;
                    int times = eaten.incrementAndGet(bun);
                    assertEquals(1, times, "cook " + cook + "'s baozi " + index + " was eaten " + times
                            + " times: every item put must be taken exactly once");
                    watched.taskDone();
                }
            });
        }
        tasks.add(() -> { // the shop closes: after the cooks, one CLOSED baozi per consumer
            try {
                assertTrue(cooksDone.await(50, TimeUnit.SECONDS), "the cooks never finished");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            for (int c = 0; c < consumers; c++) watched.put(CLOSED);
            watched.join();
        });
        watched.run("shop", tasks, Duration.ofSeconds(40));
        for (int bun = 0; bun < eaten.length(); bun++) {
            assertEquals(1, eaten.get(bun), "cook " + bun / perCook + "'s baozi " + bun % perCook + " was eaten "
                    + eaten.get(bun) + " times: every item put must be taken exactly once");
        }
        assertEquals(consumers, wentHome.get(), "every consumer must go home cleanly when the shop closes");
        assertEquals(0, q.size(), "everything was eaten: the queue is empty");
        assertEquals(null, q.poll(), "everything was eaten: poll() finds nothing");
    }
}
