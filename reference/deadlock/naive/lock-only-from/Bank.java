package kata.deadlock;

/**
 * NAIVE: lock only {@code from} ("one lock cannot deadlock"). True, but the deposit into
 * {@code to} now happens without {@code to}'s lock, while another transfer may hold that lock
 * and be withdrawing from the same account: two read-modify-writes of one balance race, and
 * money is lost or created. Every account a transfer touches must be locked.
 */
public final class Bank {
    private Bank() {}

    public static void transfer(Account from, Account to, long amount) {
        if (amount <= 0) throw new IllegalArgumentException("a transfer moves a positive amount, not " + amount);
        if (from == to) return;
        synchronized (from) {
            if (from.balance() < amount) {
                throw new IllegalStateException(from + " has " + from.balance() + ", cannot transfer " + amount);
            }
            from.withdraw(amount);
            to.deposit(amount);
        }
    }
}
