package kata.counter;

/**
 * NAIVE: {@code volatile} + {@code value++}. volatile makes each read and each write visible,
 * but {@code ++} is still two separate accesses: two threads read 5, both write 6.
 */
public final class Counter {
    private volatile int value;

    public Counter() { this(0); }
    public Counter(int initial) { value = initial; }

    public void increment() { value++; }
    public void decrement() { value--; }
    public int get() { return value; }
}
