package kata.semaphore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import kata.support.Threads;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * The story on real threads, then the contract one method at a time with one thread. Tests in
 * which a thread really waits are in {@link BoundedSemaphoreBlockingTest}.
 */
class BoundedSemaphoreTest {
    /** Generous: the reference needs well under a second. Only a hang ever waits this long. */
    private static final Duration LIMIT = Duration.ofSeconds(10);
    private static final int STALLS = 3;
    private static final int PEOPLE = 20;
    private static final int VISITS = 200;

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("the story: 20 people, 3 stalls, 200 visits each: never more than 3 inside, and everybody gets in")
    void twentyPeopleThreeStalls() {
        BoundedSemaphore stalls = new BoundedSemaphore(STALLS);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        AtomicInteger visits = new AtomicInteger();
        Threads.runConcurrently("person", PEOPLE, LIMIT, person -> {
            for (int v = 0; v < VISITS; v++) {
                try {
                    stalls.acquire();
                } catch (InterruptedException e) {
                    throw new AssertionError("nobody interrupts the people, yet acquire() threw " + e, e);
                }
                int now = inside.incrementAndGet();
                mostInside.accumulateAndGet(now, Math::max);
                visits.incrementAndGet();
                Thread.yield(); // let others try to get in while this one is inside
                inside.decrementAndGet();
                stalls.release();
            }
        });
        assertTrue(mostInside.get() <= STALLS, "at one moment " + mostInside.get() + " people were inside 3 stalls:"
                + " acquire() let someone in although all permits were taken (two threads took the same last permit,"
                + " or a woken waiter did not look again whether a permit was free)");
        assertEquals(PEOPLE * VISITS, visits.get(), "every visit must happen");
        assertEquals(STALLS, stalls.availablePermits(), "everybody came out again, so all 3 permits must be free:"
                + " an acquire or a release was lost, or counted twice");
    }

    @Test
    @DisplayName("new BoundedSemaphore(permits < 1) throws IllegalArgumentException")
    void needsAtLeastOnePermit() {
        assertThrows(IllegalArgumentException.class, () -> new BoundedSemaphore(0),
                "a semaphore with 0 permits could never be acquired: the constructor must refuse it");
        assertThrows(IllegalArgumentException.class, () -> new BoundedSemaphore(-2),
                "a negative number of permits makes no sense: the constructor must refuse it");
        assertEquals(1, new BoundedSemaphore(1).availablePermits(), "new BoundedSemaphore(1) has 1 free permit");
    }

    @Test
    @Timeout(value = 10, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("one thread: the permits count down with each acquire and up with each release")
    void countsPermitsDownAndUp() throws InterruptedException {
        BoundedSemaphore s = new BoundedSemaphore(3);
        assertEquals(3, s.availablePermits(), "a new semaphore has all its permits free");
        s.acquire();
        assertEquals(2, s.availablePermits(), "after one acquire() 2 of 3 permits are free");
        assertTrue(s.tryAcquire(), "tryAcquire() with 2 free permits must succeed");
        assertEquals(1, s.availablePermits(), "after acquire() and tryAcquire() 1 of 3 permits is free");
        assertTrue(s.tryAcquire(0, java.util.concurrent.TimeUnit.MILLISECONDS),
                "tryAcquire(0 ms) with 1 free permit must succeed at once");
        assertEquals(0, s.availablePermits(), "all 3 permits taken");
        assertFalse(s.tryAcquire(), "tryAcquire() with no free permit must return false");
        assertFalse(s.tryAcquire(0, java.util.concurrent.TimeUnit.MILLISECONDS),
                "tryAcquire(0 ms) with no free permit must return false at once");
        assertEquals(0, s.availablePermits(), "a failed tryAcquire takes nothing");
        s.release();
        s.release();
        s.release();
        assertEquals(3, s.availablePermits(), "3 taken, 3 released: all free again");
    }

    @Test
    @DisplayName("release() beyond the initial permits throws IllegalStateException and changes nothing")
    void overReleaseIsRefused() {
        BoundedSemaphore s = new BoundedSemaphore(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, s::release,
                "release() on a semaphore whose 2 permits are all free must throw IllegalStateException:"
                        + " a BoundedSemaphore refuses to have more permits than it started with");
        assertEquals(2, s.availablePermits(), "a refused release() must change nothing, but the permits went from"
                + " 2 to " + s.availablePermits() + " (" + e.getMessage() + ")");
        assertTrue(s.tryAcquire(), "tryAcquire() with 2 free permits must succeed");
        s.release();
        assertThrows(IllegalStateException.class, s::release,
                "one acquire, then two releases: the second release() must throw IllegalStateException");
        assertEquals(2, s.availablePermits(), "a refused release() must leave the 2 permits as they were");
        assertTrue(s.tryAcquire() && s.tryAcquire(), "both permits can still be taken");
        assertFalse(s.tryAcquire(), "but not a third one: the refused release must not have added a permit");
    }
}
