package kata.event;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The story's traffic light, built on {@link Event}: green for 10 seconds, yellow for 3, red for
 * 7, then green again. The event is set while cars may go (green and yellow, as in the story)
 * and cleared on red; a car at the light waits for it.
 *
 * <p>The light does not read a clock: each {@link #tick()} is one second passing. The demo
 * ({@link #main}) ticks it from a thread that sleeps between ticks; the tests tick it themselves,
 * so they decide exactly when the light changes and no sleep decides what they see.
 *
 * <p>This class is given (it is the same in the reference): the kata is {@link Event}.
 */
public final class TrafficLight {
    public enum Colour { GREEN, YELLOW, RED }

    public static final int GREEN_SECONDS = 10;
    public static final int YELLOW_SECONDS = 3;
    public static final int RED_SECONDS = 7;
    public static final int CYCLE_SECONDS = GREEN_SECONDS + YELLOW_SECONDS + RED_SECONDS;

    private final Event mayGo = new Event();
    private int second; // guarded by this: seconds into the current cycle, 0 .. CYCLE_SECONDS - 1

    /** A light that has just turned green. */
    public TrafficLight() {
        mayGo.set();
    }

    /** The colour now. */
    public synchronized Colour colour() {
        return colourAt(second);
    }

    /** One second passes; returns the colour after it. Turning red clears the event, turning green sets it. */
    public synchronized Colour tick() {
        Colour before = colourAt(second);
        second = (second + 1) % CYCLE_SECONDS;
        Colour now = colourAt(second);
        if (now == Colour.RED && before != Colour.RED) mayGo.clear();
        if (now == Colour.GREEN && before != Colour.GREEN) mayGo.set();
        return now;
    }

    /** Ticks until the light shows {@code colour} (at most one cycle); returns the number of ticks. */
    public synchronized int tickUntil(Colour colour) {
        int ticks = 0;
        do {
            tick();
            ticks++;
        } while (colourAt(second) != colour);
        return ticks;
    }

    /** A car at the light: returns when it may go, at once on green or yellow, after the next green on red. */
    public void waitToGo() throws InterruptedException {
        mayGo.await();
    }

    /** Like {@link #waitToGo()}, but the driver gives up after {@code timeout}: true iff it may go. */
    public boolean waitToGo(long timeout, TimeUnit unit) throws InterruptedException {
        return mayGo.await(timeout, unit);
    }

    /** Whether a car arriving now may go without waiting. */
    public boolean mayGo() {
        return mayGo.isSet();
    }

    private static Colour colourAt(int second) {
        if (second < GREEN_SECONDS) return Colour.GREEN;
        if (second < GREEN_SECONDS + YELLOW_SECONDS) return Colour.YELLOW;
        return Colour.RED;
    }

    /**
     * The story in the terminal: a light thread and three car threads, for two cycles of the light.
     * Arguments (optional): milliseconds per "second" of the light (default 300), number of cycles (default 2).
     * Run it with {@code mvn -q -f katas/event compile} and then
     * {@code java -cp katas/event/target/classes kata.event.TrafficLight}.
     */
    public static void main(String[] args) throws InterruptedException {
        long tickMillis = args.length > 0 ? Long.parseLong(args[0]) : 300;
        int cycles = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        TrafficLight light = new TrafficLight();
        System.out.println("===== GREEN =====");
        for (int n = 0; n < 3; n++) {
            int car = n;
            Thread t = new Thread(() -> drive(light, car, tickMillis), "car-" + car);
            t.setDaemon(true); // the cars stop when the light does
            t.start();
        }
        Colour shown = Colour.GREEN;
        for (int s = 0; s < cycles * CYCLE_SECONDS; s++) {
            Thread.sleep(tickMillis);
            Colour now = light.tick();
            if (now != shown) {
                System.out.println(now == Colour.GREEN ? "===== GREEN =====" : now == Colour.YELLOW ? "===== YELLOW =====" : "===== RED =====");
                shown = now;
            }
        }
        System.out.println("----- the light is switched off -----");
    }

    /** A car: arrives at the light now and then, waits while it is red, drives on. */
    private static void drive(TrafficLight light, int car, long tickMillis) {
        Random random = new Random(car);
        try {
            while (true) {
                Thread.sleep(random.nextInt(12) * tickMillis); // on the road, until the next light
                if (light.mayGo()) {
                    System.out.println("car " + car + " arrives and drives on");
                } else {
                    System.out.println("car " + car + " arrives and waits for the red light");
                    light.waitToGo();
                    System.out.println("car " + car + " sees green and drives on");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
