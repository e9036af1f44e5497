package kata.deadlock;

/**
 * A bank account: an id and a balance that never goes below 0.
 *
 * <p>Part of the story's program; see {@link Bank} for the part that goes wrong. You may change
 * anything here except the public constructor and methods (see katas/deadlock/README.md).
 */
public final class Account {
    private final String id;
    private long balance; // guarded by this account's lock (its monitor)

    /** A new account; {@code balance} must not be negative. */
    public Account(String id, long balance) {
        if (balance < 0) throw new IllegalArgumentException("an account cannot open with a negative balance: " + balance);
        this.id = id;
        this.balance = balance;
    }

    public String id() {
        return id;
    }

    public synchronized long balance() {
        return balance;
    }

    /** Takes money out. The caller holds this account's lock and has checked the balance. */
    void withdraw(long amount) {
        balance -= amount;
    }

    /** Puts money in. The caller holds this account's lock. */
    void deposit(long amount) {
        balance += amount;
    }

    @Override
    public String toString() {
        return "account " + id;
    }
}
