package kata.deadlock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import kata.support.Threads;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Model checking: Lincheck runs each block under many thread interleavings, chosen
 * systematically instead of by luck. When two threads end up waiting for each other, it reports
 * a deadlock and prints the interleaving that led there, step by step: which thread took which
 * account's lock (MONITORENTER) and where the other one got stuck.
 */
class TransferLincheckTest {
    /**
     * Interleavings explored per check. The naive transfers in reference/deadlock/naive are caught
     * within the first 15 (the lock cycle within 10); 60 leaves a wide margin and keeps each check
     * to a second or two.
     */
    private static final int INVOCATIONS = 60;

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @DisplayName("Lincheck: A -> B and B -> A at once (the story in miniature) both finish, and both count")
    void oppositeTransfers() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            Account a = new Account("A", 100);
            Account b = new Account("B", 100);
            Threads.runInTwoThreads(() -> Bank.transfer(a, b, 10), () -> Bank.transfer(b, a, 20));
            assertEquals(110, a.balance(), "A had 100, sent 10 and received 20: a different value means one update"
                    + " of A's balance overwrote the other (was A changed without holding A's lock?)");
            assertEquals(90, b.balance(), "B had 100, received 10 and sent 20: a different value means one update"
                    + " of B's balance overwrote the other (was B changed without holding B's lock?)");
        });
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @DisplayName("Lincheck: opposite transfers between two accounts that share an id both finish")
    void oppositeTransfersBetweenAccountsWithTheSameId() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            Account first = new Account("twin", 100);
            Account second = new Account("twin", 100);
            Threads.runInTwoThreads(() -> Bank.transfer(first, second, 10), () -> Bank.transfer(second, first, 20));
            assertEquals(110, first.balance(), "the first 'twin' had 100, sent 10 and received 20");
            assertEquals(90, second.balance(), "the second 'twin' had 100, received 10 and sent 20");
        });
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @DisplayName("Lincheck: two transfers of 60 out of an account holding 100: exactly one succeeds, no overdraft")
    void twoTransfersOutOfOneAccount() {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            Account a = new Account("A", 100);
            Account b = new Account("B", 0);
            Account c = new Account("C", 0);
            int[] refused = new int[2];
            Threads.runInTwoThreads(() -> {
                try {
                    Bank.transfer(a, b, 60);
                } catch (IllegalStateException e) {
                    refused[0] = 1;
                }
            }, () -> {
                try {
                    Bank.transfer(a, c, 60);
                } catch (IllegalStateException e) {
                    refused[1] = 1;
                }
            });
            assertEquals(40, a.balance(), "A had 100 and two transfers of 60 were asked: exactly one can succeed."
                    + " -20 is an overdraft: both saw 100 before either withdrew (check-then-act: the balance"
                    + " check must happen under the same lock as the withdrawal)");
            assertEquals(1, refused[0] + refused[1], "exactly one of the two transfers must be refused with IllegalStateException");
            assertEquals(60, b.balance() + c.balance(), "exactly 60 must have arrived, at B or at C");
        });
    }
}
