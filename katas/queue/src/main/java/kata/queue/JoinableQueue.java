package kata.queue;

import java.util.concurrent.TimeUnit;

/**
 * A FIFO queue that also counts unfinished tasks, like Python's {@code JoinableQueue}: every item
 * put is one more unfinished task, every {@link #taskDone()} one less, and {@link #join()} waits
 * until the count is back at 0.
 *
 * <p>The story (katas/queue/README.md): a cook puts ten baozi into the queue and then calls
 * {@code join()}; consumer threads take them, eat them and call {@code taskDone()}; the cook goes
 * home only when every baozi has been eaten. Write this class from {@code synchronized},
 * {@code wait} and {@code notifyAll} (or {@code LockSupport} and atomics); delegating to
 * {@code java.util.concurrent}'s queues, locks or synchronizers is not allowed, and a test checks that.
 *
 * <p>Run {@code ./kata test queue} to see what is missing. Keep the public methods as they are.
 */
public final class JoinableQueue<E> {

    /** An unbounded queue: put never waits. */
    public JoinableQueue() {
    }

    /** A queue of at most {@code capacity} items; {@code capacity < 1} is an {@link IllegalArgumentException}. */
    public JoinableQueue(int capacity) {
    }

    /** Adds the item at the tail, waiting while the queue is full. {@code null} is a {@link NullPointerException}. */
    public void put(E item) throws InterruptedException {
        throw new UnsupportedOperationException("JoinableQueue.put(item) is not written yet: wait while the queue is"
                + " full, then add the item at the tail and count one more unfinished task");
    }

    /** Adds the item if there is room now; {@code false} when the queue is full. Never waits. */
    public boolean offer(E item) {
        throw new UnsupportedOperationException("JoinableQueue.offer(item) is not written yet: like put, but return"
                + " false instead of waiting when the queue is full");
    }

    /** Adds the item, waiting at most the timeout for room; {@code false} if the queue is still full then. */
    public boolean offer(E item, long timeout, TimeUnit unit) throws InterruptedException {
        throw new UnsupportedOperationException("JoinableQueue.offer(item, timeout, unit) is not written yet: wait at"
                + " most the timeout for room, and give up with InterruptedException when interrupted");
    }

    /** Removes and returns the head, waiting while the queue is empty. */
    public E take() throws InterruptedException {
        throw new UnsupportedOperationException("JoinableQueue.take() is not written yet: wait while the queue is"
                + " empty, then remove and return the oldest item");
    }

    /** Removes and returns the head, or {@code null} when the queue is empty. Never waits. */
    public E poll() {
        throw new UnsupportedOperationException("JoinableQueue.poll() is not written yet: like take, but return"
                + " null instead of waiting when the queue is empty");
    }

    /** Removes and returns the head, waiting at most the timeout; {@code null} if the queue is still empty then. */
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        throw new UnsupportedOperationException("JoinableQueue.poll(timeout, unit) is not written yet: wait at most"
                + " the timeout for an item, and give up with InterruptedException when interrupted");
    }

    /**
     * One task (an item taken earlier) is finished. More calls than items ever put is an
     * {@link IllegalStateException}, and then nothing changes.
     */
    public void taskDone() {
        throw new UnsupportedOperationException("JoinableQueue.taskDone() is not written yet: count one unfinished"
                + " task less, and let the threads waiting in join() go when none is left");
    }

    /** Waits until every item ever put has been followed by its {@link #taskDone()}. */
    public void join() throws InterruptedException {
        throw new UnsupportedOperationException("JoinableQueue.join() is not written yet: wait until the count of"
                + " unfinished tasks is 0");
    }

    /** How many items are in the queue now (taken items are not counted, finished or not). */
    public int size() {
        throw new UnsupportedOperationException("JoinableQueue.size() is not written yet");
    }
}
