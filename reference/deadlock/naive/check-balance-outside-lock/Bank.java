package kata.deadlock;

/**
 * NAIVE: check the balance before taking the locks (check-then-act). The locks are taken in a
 * good order, so nothing deadlocks, but the check is not part of the atomic step: two transfers
 * of 60 out of an account holding 100 can both see 100, both pass the check, and both withdraw,
 * leaving -20. The check and the withdrawal must happen under the same lock.
 */
public final class Bank {
    private Bank() {}

    public static void transfer(Account from, Account to, long amount) {
        if (amount <= 0) throw new IllegalArgumentException("a transfer moves a positive amount, not " + amount);
        if (from == to) return;
        if (from.balance() < amount) {
            throw new IllegalStateException(from + " has " + from.balance() + ", cannot transfer " + amount);
        }
        Account first = from.number < to.number ? from : to;
        Account second = first == from ? to : from;
        synchronized (first) {
            synchronized (second) {
                from.withdraw(amount);
                to.deposit(amount);
            }
        }
    }
}
