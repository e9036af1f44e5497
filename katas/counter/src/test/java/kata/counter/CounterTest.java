package kata.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import kata.support.Threads;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Behaviour with one thread, then the story at full scale on real threads. */
class CounterTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @Test
    @DisplayName("a new counter starts at 0, or at the initial value given")
    void startsAtInitialValue() {
        assertEquals(0, new Counter().get());
        assertEquals(100, new Counter(100).get());
        assertEquals(-7, new Counter(-7).get());
    }

    @Test
    @DisplayName("one thread: increments and decrements add up")
    void singleThreaded() {
        Counter counter = new Counter(5);
        counter.increment();
        counter.increment();
        counter.decrement();
        assertEquals(6, counter.get());
    }

    @Test
    @Timeout(60)
    @DisplayName("the story: 100 threads each do num -= 1 on num = 100, and num ends at 0 (50 rounds)")
    void hundredThreadsDecrementFromHundred() {
        for (int round = 1; round <= 50; round++) {
            Counter num = new Counter(100);
            Threads.runConcurrently("decrement", 100, LIMIT, i -> num.decrement());
            assertEquals(0, num.get(), "round " + round + ": 100 threads did num -= 1 on num = 100;"
                    + " every other value means some decrements were lost (read-modify-write race)");
        }
    }

    @Test
    @Timeout(60)
    @DisplayName("2 threads x 500,000 increments race 2 threads x 500,000 decrements: back to 0")
    void incrementsRaceDecrements() {
        Counter counter = new Counter(0);
        Threads.runConcurrently("update", 4, LIMIT, i -> {
            for (int k = 0; k < 500_000; k++) {
                if (i % 2 == 0) counter.increment(); else counter.decrement();
            }
        });
        assertEquals(0, counter.get(), "1,000,000 increments and 1,000,000 decrements must cancel out;"
                + " anything else counts updates lost to a read-modify-write race");
    }
}
