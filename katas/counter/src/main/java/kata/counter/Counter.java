package kata.counter;

/**
 * A shared counter: the "num -= 1" of the story, as a Java class.
 *
 * <p>This is the program from the story, and it is right as long as one thread uses it.
 * Run {@code ./kata test counter} to see what happens with two. Make it correct under
 * concurrency without changing the public methods; see katas/counter/README.md.
 */
public final class Counter {
    private int value;

    /** A counter that starts at 0. */
    public Counter() {
        this(0);
    }

    /** A counter that starts at {@code initial}. */
    public Counter(int initial) {
        value = initial;
    }

    public void increment() {
        value = value + 1; // TODO: two threads can both read the same value here
    }

    public void decrement() {
        value = value - 1; // TODO: and here
    }

    public int get() {
        return value;
    }
}
