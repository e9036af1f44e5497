package kata.counter;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * NAIVE: an {@link AtomicInteger} used as {@code set(get() + 1)}. Each call is atomic, the pair
 * is not: another thread can update between the get and the set, and that update is lost.
 * ({@code incrementAndGet()} or a {@code compareAndSet} loop does the pair atomically.)
 */
public final class Counter {
    private final AtomicInteger value;

    public Counter() { this(0); }
    public Counter(int initial) { value = new AtomicInteger(initial); }

    public void increment() { value.set(value.get() + 1); }
    public void decrement() { value.set(value.get() - 1); }
    public int get() { return value.get(); }
}
