package kata.rlock;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the rlock tests do with a lock on their own thread (the waits are kata.support.Waits). */
final class RLocks {
    private RLocks() {}

    /**
     * Takes a free lock on the test's own thread with {@code tryLock()}, which never waits, so
     * the test's thread cannot hang here (only threads run through {@code Threads} may block).
     */
    static void takeFree(RLock lock) {
        assertTrue(lock.tryLock(), "tryLock() on a free lock must return true and take it");
    }
}
