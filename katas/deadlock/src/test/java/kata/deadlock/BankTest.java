package kata.deadlock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import kata.support.Threads;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The contract, one thread at a time: accounts, a transfer, bad arguments, a transfer to itself. */
class BankTest {
    private static final Duration LIMIT = Duration.ofSeconds(2);

    @Test
    @DisplayName("an account has the id and the balance it was opened with; 0 is a valid balance")
    void account() {
        Account a = new Account("A", 100);
        assertEquals("A", a.id());
        assertEquals(100, a.balance());
        assertEquals(0, new Account("empty", 0).balance());
    }

    @Test
    @DisplayName("an account cannot open with a negative balance")
    void negativeOpeningBalance() {
        assertThrows(IllegalArgumentException.class, () -> new Account("A", -1),
                "new Account(id, -1) must throw IllegalArgumentException");
    }

    @Test
    @DisplayName("a transfer moves the amount from one account to the other")
    void transferMovesMoney() {
        Account a = new Account("A", 100);
        Account b = new Account("B", 50);
        Bank.transfer(a, b, 30);
        assertEquals(70, a.balance(), "A had 100 and sent 30");
        assertEquals(80, b.balance(), "B had 50 and received 30");
        Bank.transfer(b, a, 80);
        assertEquals(150, a.balance(), "A had 70 and received 80");
        assertEquals(0, b.balance(), "B sent all it had: 80");
    }

    @Test
    @DisplayName("amount <= 0 is rejected with IllegalArgumentException, and nothing moves")
    void nonPositiveAmount() {
        Account a = new Account("A", 100);
        Account b = new Account("B", 100);
        assertThrows(IllegalArgumentException.class, () -> Bank.transfer(a, b, 0), "transfer of 0");
        assertThrows(IllegalArgumentException.class, () -> Bank.transfer(a, b, -5),
                "transfer of -5 (that would move money from B to A)");
        assertEquals(100, a.balance());
        assertEquals(100, b.balance());
    }

    @Test
    @DisplayName("not enough money: IllegalStateException, and nothing moves")
    void notEnoughMoney() {
        Account a = new Account("A", 100);
        Account b = new Account("B", 0);
        assertThrows(IllegalStateException.class, () -> Bank.transfer(a, b, 101), "A has 100 and cannot send 101");
        assertEquals(100, a.balance(), "a refused transfer must not take money out of A");
        assertEquals(0, b.balance(), "a refused transfer must not put money into B");
        assertThrows(IllegalStateException.class, () -> Bank.transfer(b, a, 1), "B has 0 and cannot send 1");
        assertEquals(100, a.balance());
        assertEquals(0, b.balance());
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @DisplayName("a transfer from an account to itself is allowed and moves nothing")
    void transferToItself() {
        Account a = new Account("A", 100);
        Threads.run("self-transfer", List.of(() -> Bank.transfer(a, a, 40)), LIMIT, Map.of(a, "account A"));
        assertEquals(100, a.balance(), "a transfer from A to A must leave A's balance as it was");
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @DisplayName("a transfer from an account to itself never blocks, even while another thread holds the account's lock")
    void transferToItselfNeverBlocks() {
        Account a = new Account("A", 100);
        synchronized (a) { // another thread (this one) is busy with account A
            try {
                Threads.run("self-transfer", List.of(() -> Bank.transfer(a, a, 40)), LIMIT, Map.of(a, "account A"));
            } catch (AssertionError e) {
                throw new AssertionError("transfer(A, A, 40) must return at once, since it moves nothing; it waited"
                        + " for account A's lock, which the test's own thread holds. A transfer to the same account"
                        + " needs no lock at all.\n" + e.getMessage(), e);
            }
        }
        assertEquals(100, a.balance(), "a transfer from A to A must leave A's balance as it was");
    }
}
