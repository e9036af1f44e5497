package kata.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import kata.event.TrafficLight.Colour;
import kata.support.Threads;
import kata.support.Waits;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * The story, with the test as the light's clock: the test calls {@code tick()} itself, so it
 * decides exactly when the light changes; no sleep decides what the cars see.
 */
class TrafficLightTest {
    private static final Duration LIMIT = Duration.ofSeconds(3);
    private static final int CARS = 3;

    @Test
    @DisplayName("the light: 10 s green, 3 s yellow, 7 s red; cars may go on green and yellow, not on red")
    void theCycle() {
        TrafficLight light = new TrafficLight();
        List<Colour> seen = new ArrayList<>();
        List<Boolean> mayGo = new ArrayList<>();
        for (int s = 0; s < TrafficLight.CYCLE_SECONDS; s++) {
            seen.add(light.colour());
            mayGo.add(light.mayGo());
            light.tick();
        }
        for (int s = 0; s < TrafficLight.CYCLE_SECONDS; s++) {
            Colour expected = s < 10 ? Colour.GREEN : s < 13 ? Colour.YELLOW : Colour.RED;
            assertEquals(expected, seen.get(s), "colour at second " + s);
            assertEquals(expected != Colour.RED, mayGo.get(s), "at second " + s + " (" + expected + ") the event must be "
                    + (expected == Colour.RED ? "clear" : "set"));
        }
        assertEquals(Colour.GREEN, light.colour(), "after a whole cycle the light is green again");
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("the story: 3 cars reach a red light: none starts while it is red, every one drives after green")
    void carsWaitForGreen() {
        TrafficLight light = new TrafficLight();
        light.tickUntil(Colour.RED);
        List<AtomicReference<Thread>> cars = new ArrayList<>();
        ConcurrentLinkedQueue<Colour> drovesOn = new ConcurrentLinkedQueue<>();
        AtomicInteger startedOnRed = new AtomicInteger();
        List<Runnable> tasks = new ArrayList<>();
        for (int i = 0; i < CARS; i++) {
            AtomicReference<Thread> me = new AtomicReference<>();
            cars.add(me);
            tasks.add(() -> {
                me.set(Thread.currentThread());
                try {
                    light.waitToGo();
                } catch (InterruptedException e) {
                    throw new AssertionError("nobody interrupts the cars", e);
                }
                drovesOn.add(light.colour());
            });
        }
        tasks.add(() -> {
            Waits.untilBlocked(EventTest.started(cars));
            startedOnRed.set(drovesOn.size());
            while (light.colour() == Colour.RED) {
                light.tick(); // the light's clock; the cars may not go before it shows green
            }
        });
        try {
            Threads.run("car", tasks, LIMIT, Map.of());
        } catch (AssertionError failure) {
            throw new AssertionError("STUCK AT GREEN: " + CARS + " cars waited at the red light, the light turned"
                    + " green, and only " + drovesOn.size() + " drove on. set() must release every waiting car.\n"
                    + failure.getMessage(), failure);
        }
        assertEquals(0, startedOnRed.get(), startedOnRed.get() + " car(s) drove through the red light: waitToGo()"
                + " (Event.await()) returned although the event was cleared");
        assertEquals(CARS, drovesOn.size(), "every car must drive on after green");
        assertFalse(drovesOn.contains(Colour.RED), "a car drove on while the light was red: " + drovesOn);
    }

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("a car arriving on green or yellow goes at once; on red, a driver who waits 100 ms gets false")
    void arrivingCars() {
        TrafficLight light = new TrafficLight();
        Threads.run("car", List.of(() -> {
            try {
                assertTrue(light.waitToGo(5, TimeUnit.SECONDS), "on green a car may go");
                light.tickUntil(Colour.YELLOW);
                assertTrue(light.waitToGo(5, TimeUnit.SECONDS), "on yellow a car may still go (as in the story)");
                light.tickUntil(Colour.RED);
                assertFalse(light.waitToGo(100, TimeUnit.MILLISECONDS), "on red, nobody ticks the light: a driver who"
                        + " waits 100 ms must be told false (the event is clear)");
            } catch (InterruptedException e) {
                throw new AssertionError("nobody interrupts the car", e);
            }
        }), LIMIT, Map.of());
    }
}
