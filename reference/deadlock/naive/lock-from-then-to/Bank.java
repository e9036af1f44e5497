package kata.deadlock;

/**
 * NAIVE: lock {@code from}, then {@code to} (the story's bug). Each transfer is atomic, but the
 * lock order follows the direction of the transfer: A -> B takes A then B, B -> A takes B then A.
 * When both run at once, each can take its first lock and then wait forever for the other's.
 */
public final class Bank {
    private Bank() {}

    public static void transfer(Account from, Account to, long amount) {
        if (amount <= 0) throw new IllegalArgumentException("a transfer moves a positive amount, not " + amount);
        if (from == to) return;
        synchronized (from) {
            synchronized (to) {
                if (from.balance() < amount) {
                    throw new IllegalStateException(from + " has " + from.balance() + ", cannot transfer " + amount);
                }
                from.withdraw(amount);
                to.deposit(amount);
            }
        }
    }
}
