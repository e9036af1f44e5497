package kata.counter;

/**
 * NAIVE: only some methods synchronized. decrement() and get() lock, increment() forgot to: a
 * lock that one writer skips protects nothing, so an increment can overwrite a concurrent
 * decrement or increment. The story's scenario (only decrements) passes; a mixed one does not.
 */
public final class Counter {
    private int value;

    public Counter() { this(0); }
    public Counter(int initial) { value = initial; }

    public void increment() { value++; }
    public synchronized void decrement() { value--; }
    public synchronized int get() { return value; }
}
