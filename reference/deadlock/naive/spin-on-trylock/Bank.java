package kata.deadlock;

/**
 * NAIVE: a livelock. The transfer takes from's lock, then tries for to's with tryLock() again and
 * again, without ever letting go of from's: "never block" is not "never wait". A -> B holds A and
 * retries for B while B -> A holds B and retries for A: both threads are RUNNABLE and burn a CPU
 * each, forever. The JVM's deadlock detection sees nothing, because nobody is blocked. (Hold and
 * wait is still there; only the waiting is done by spinning.)
 */
public final class Bank {
    private Bank() {}

    public static void transfer(Account from, Account to, long amount) {
        if (amount <= 0) throw new IllegalArgumentException("a transfer moves a positive amount, not " + amount);
        if (from == to) return;
        from.lock.lock();
        try {
            while (!to.lock.tryLock()) {
                Thread.onSpinWait(); // retry at once, still holding from's lock
            }
            try {
                if (from.balance() < amount) {
                    throw new IllegalStateException(from + " has " + from.balance() + ", cannot transfer " + amount);
                }
                from.withdraw(amount);
                to.deposit(amount);
            } finally {
                to.lock.unlock();
            }
        } finally {
            from.lock.unlock();
        }
    }
}
