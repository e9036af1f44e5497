package kata.deadlock;

/**
 * Reference solution: lock ordering. Every transfer takes the two accounts' locks in one global
 * order (by {@link Account#number}, unique and immutable), whatever the direction of the
 * transfer. A cycle of waiting threads would need some thread to hold a later lock while it
 * waits for an earlier one, and no thread ever does that, so there is no deadlock. The balance is
 * checked and both balances change while both locks are held, so the transfer is atomic.
 * A transfer to the same account moves nothing and takes no lock at all.
 */
public final class Bank {
    private Bank() {}

    /** Moves amount from one account to the other, atomically with respect to every other transfer. */
    public static void transfer(Account from, Account to, long amount) {
        if (amount <= 0) throw new IllegalArgumentException("a transfer moves a positive amount, not " + amount);
        if (from == to) return; // moves nothing; taking no lock, it waits for no one
        Account first = from.number < to.number ? from : to;
        Account second = first == from ? to : from;
        synchronized (first) {
            synchronized (second) {
                if (from.balance() < amount) {
                    throw new IllegalStateException(from + " has " + from.balance() + ", cannot transfer " + amount);
                }
                from.withdraw(amount);
                to.deposit(amount);
            }
        }
    }
}
