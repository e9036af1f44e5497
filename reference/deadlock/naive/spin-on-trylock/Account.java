package kata.deadlock;

import java.util.concurrent.locks.ReentrantLock;

/**
 * NAIVE (with Bank.java): each account has a ReentrantLock instead of its monitor, so that a
 * transfer can try for the second account without blocking. The account itself is right.
 */
public final class Account {
    private final String id;
    /** Guards the balance; Bank takes it for a transfer. */
    final ReentrantLock lock = new ReentrantLock();
    private long balance; // guarded by lock

    public Account(String id, long balance) {
        if (balance < 0) throw new IllegalArgumentException("an account cannot open with a negative balance: " + balance);
        this.id = id;
        this.balance = balance;
    }

    public String id() {
        return id;
    }

    public long balance() {
        lock.lock();
        try {
            return balance;
        } finally {
            lock.unlock();
        }
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
