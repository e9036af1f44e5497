package kata.counter;

/**
 * Reference solution: every read-modify-write and every read happens under the counter's own
 * monitor, so updates cannot interleave and {@link #get()} sees the latest value.
 * ({@code java.util.concurrent.atomic.AtomicInteger#incrementAndGet} is the other good answer.)
 */
public final class Counter {
    private int value;

    public Counter() {
        this(0);
    }

    public Counter(int initial) {
        value = initial;
    }

    public synchronized void increment() {
        value++;
    }

    public synchronized void decrement() {
        value--;
    }

    public synchronized int get() {
        return value;
    }
}
