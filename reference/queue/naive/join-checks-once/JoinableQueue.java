// NAIVE: join() checks the count once (`if`, not `while`) before it waits. Every change to the queue
// wakes all waiters (notifyAll), and a wait may also end for no reason at all (a spurious wake-up):
// a joiner woken while tasks are still unfinished returns as if all were done.
package kata.queue;

import java.util.concurrent.TimeUnit;

/**
 * A FIFO queue that also counts unfinished tasks: every item put is one more task, every
 * {@link #taskDone()} one less, and {@link #join()} waits until the count is back at 0.
 *
 * <p>One monitor ({@code this}) guards all the state; every wait is in a loop that looks again
 * after waking up, and every change that another thread may be waiting for is announced with
 * {@code notifyAll()}: producers, consumers and joiners wait in the same wait set, so a single
 * {@code notify()} could wake the wrong kind of thread and leave the right one waiting forever.
 */
public final class JoinableQueue<E> {
    private static final int FIRST_SIZE = 16;

    private final int capacity;
    // All guarded by this. The items are items[head], items[head + 1], ... (modulo the length), count of them.
    private Object[] items;
    private int head;
    private int count;
    private long unfinished; // items put minus taskDone() calls, never negative

    /** An unbounded queue: put never waits. */
    public JoinableQueue() {
        this.capacity = Integer.MAX_VALUE;
        this.items = new Object[FIRST_SIZE];
    }

    /** A queue of at most {@code capacity} items; {@code capacity < 1} is an {@link IllegalArgumentException}. */
    public JoinableQueue(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        this.capacity = capacity;
        this.items = new Object[Math.min(capacity, FIRST_SIZE)];
    }

    /** Adds the item at the tail, waiting while the queue is full. */
    public synchronized void put(E item) throws InterruptedException {
        requireItem(item);
        while (count == capacity) wait();
        enqueue(item);
    }

    /** Adds the item if there is room now; {@code false} when the queue is full. Never waits. */
    public synchronized boolean offer(E item) {
        requireItem(item);
        if (count == capacity) return false;
        enqueue(item);
        return true;
    }

    /** Adds the item, waiting at most the timeout for room; {@code false} if the queue is still full then. */
    public synchronized boolean offer(E item, long timeout, TimeUnit unit) throws InterruptedException {
        requireItem(item);
        if (Thread.interrupted()) throw new InterruptedException();
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (count == capacity) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            TimeUnit.NANOSECONDS.timedWait(this, left); // may wake early or spuriously: the loop looks again
        }
        enqueue(item);
        return true;
    }

    /** Removes and returns the head, waiting while the queue is empty. */
    public synchronized E take() throws InterruptedException {
        while (count == 0) wait();
        return dequeue();
    }

    /** Removes and returns the head, or {@code null} when the queue is empty. Never waits. */
    public synchronized E poll() {
        return count == 0 ? null : dequeue();
    }

    /** Removes and returns the head, waiting at most the timeout; {@code null} if the queue is still empty then. */
    public synchronized E poll(long timeout, TimeUnit unit) throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (count == 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return null;
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return dequeue();
    }

    /**
     * One task (an item taken earlier) is finished. More calls than items ever put is an
     * {@link IllegalStateException}, and then nothing changes.
     */
    public synchronized void taskDone() {
        if (unfinished == 0) {
            throw new IllegalStateException("taskDone() called more times than there were items put");
        }
        if (--unfinished == 0) notifyAll(); // the joiners may go
    }

    /** Waits until every item ever put has been followed by its {@link #taskDone()}. */
    public synchronized void join() throws InterruptedException {
        if (unfinished > 0) wait(); // checked once: whatever woke us, assume the count is 0 now
    }

    /** How many items are in the queue now (taken items are not counted, finished or not). */
    public synchronized int size() {
        return count;
    }

    private static void requireItem(Object item) {
        if (item == null) throw new NullPointerException("a JoinableQueue does not hold null: poll() uses null for 'empty'");
    }

    /** Holding the monitor, with room for one more. */
    private void enqueue(E item) {
        if (count == items.length) grow();
        items[(head + count) % items.length] = item;
        count++;
        unfinished++;
        notifyAll(); // a consumer waiting in take()/poll(timeout) may go on
    }

    /** Holding the monitor, with count > 0. */
    private E dequeue() {
        @SuppressWarnings("unchecked")
        E item = (E) items[head];
        items[head] = null; // no leak: the queue no longer refers to the item
        head = (head + 1) % items.length;
        count--;
        notifyAll(); // a producer waiting in put()/offer(timeout) may go on
        return item;
    }

    /** Holding the monitor: doubles the array (up to the capacity), keeping the order. */
    private void grow() {
        int length = (int) Math.min((long) capacity, Math.max(FIRST_SIZE, 2L * items.length));
        if (length <= items.length) throw new IllegalStateException("the queue is full (" + count + " items)");
        Object[] bigger = new Object[length];
        for (int i = 0; i < count; i++) bigger[i] = items[(head + i) % items.length];
        items = bigger;
        head = 0;
    }
}
