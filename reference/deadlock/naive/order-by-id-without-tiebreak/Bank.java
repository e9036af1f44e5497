package kata.deadlock;

/**
 * NAIVE: lock ordering by id, without a tie-breaker. Right for accounts with different ids, but
 * ids are not promised to be unique: for two accounts that share an id the comparison says
 * "equal", the code falls back to "from first", and that is the story's bug again. A lock order
 * must be total: two different accounts must never compare equal.
 */
public final class Bank {
    private Bank() {}

    public static void transfer(Account from, Account to, long amount) {
        if (amount <= 0) throw new IllegalArgumentException("a transfer moves a positive amount, not " + amount);
        if (from == to) return;
        Account first = from.id().compareTo(to.id()) <= 0 ? from : to;
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
