package kata.counter;

/**
 * NAIVE: plain field, {@code value++}. The story's bug: {@code ++} is read, add, write, and two
 * threads that read the same value both write value + 1, so one update is lost.
 */
public final class Counter {
    private int value;

    public Counter() { this(0); }
    public Counter(int initial) { value = initial; }

    public void increment() { value++; }
    public void decrement() { value--; }
    public int get() { return value; }
}
