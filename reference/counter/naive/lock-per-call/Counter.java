package kata.counter;

/**
 * NAIVE: synchronizing on a new object on every call. Each thread locks its own fresh monitor,
 * so nobody ever waits for anybody: a lock only excludes threads that lock the SAME object.
 */
public final class Counter {
    private int value;

    public Counter() { this(0); }
    public Counter(int initial) { value = initial; }

    public void increment() {
        synchronized (new Object()) { value++; }
    }

    public void decrement() {
        synchronized (new Object()) { value--; }
    }

    public int get() {
        synchronized (new Object()) { return value; }
    }
}
