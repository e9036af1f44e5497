package kata.deadlock;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Reference solution, the account: as in the stub, plus {@link #number}, a key that gives all
 * accounts one fixed order to be locked in. Ids would do too, but two accounts may share an id;
 * opening numbers are unique and never change.
 */
public final class Account {
    private static final AtomicLong OPENED = new AtomicLong();

    private final String id;
    /** Unique and immutable: {@link Bank} always locks the account with the smaller number first. */
    final long number = OPENED.getAndIncrement();
    private long balance; // guarded by this account's lock (its monitor)

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
