package kata.deadlock;

/**
 * Transfers between accounts: the story's two locks, as bank accounts.
 *
 * <p>This is the program from the story, and it is right as long as one thread uses it: a
 * transfer locks both accounts, so no other transfer can see or change them half-way. Run
 * {@code ./kata test deadlock} to see what happens when one thread sends money from A to B while
 * another sends money from B to A. Make it correct under concurrency without changing the public
 * methods; see katas/deadlock/README.md.
 */
public final class Bank {
    private Bank() {}

    /** Moves amount from one account to the other, atomically with respect to every other transfer. */
    public static void transfer(Account from, Account to, long amount) {
        if (amount <= 0) throw new IllegalArgumentException("a transfer moves a positive amount, not " + amount);
        synchronized (from) {     // TODO: thread 1 (A -> B) takes A's lock here while thread 2 (B -> A) takes B's...
            synchronized (to) {   // TODO: ...and now each waits here for the lock the other holds: forever
                if (from.balance() < amount) {
                    throw new IllegalStateException(from + " has " + from.balance() + ", cannot transfer " + amount);
                }
                from.withdraw(amount);
                to.deposit(amount);
            }
        }
        // TODO: and a transfer from an account to itself must never wait for anyone
    }
}
