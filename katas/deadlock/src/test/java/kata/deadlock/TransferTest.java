package kata.deadlock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import kata.support.Threads;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The story on real threads. A deadlock fails the test as soon as the JVM sees it (within a
 * fraction of a second), with the cycle: which thread holds which account and waits for which.
 */
class TransferTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);
    /** How long the threads of the story (and of the random transfers) keep transferring. */
    private static final Duration ROUNDS_FOR = Duration.ofMillis(300);

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @DisplayName("the story: 20 threads each send 1 from A to B, then 1 from B to A, again and again for 0.3 s; all finish, nothing is lost")
    void theStory() {
        Account a = new Account("A", 1_000_000);
        Account b = new Account("B", 1_000_000);
        backAndForth(a, b, Map.of(a, "account A", b, "account B"));
        assertEquals(1_000_000, a.balance(), "every thread sent A -> B as often as B -> A, so A must be back at 1,000,000;"
                + " a different value means an update of A's balance was lost");
        assertEquals(1_000_000, b.balance(), "every thread sent A -> B as often as B -> A, so B must be back at 1,000,000;"
                + " a different value means an update of B's balance was lost");
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @DisplayName("the story between two different accounts that share an id: all finish, nothing is lost")
    void accountsWithTheSameId() {
        Account first = new Account("twin", 1_000_000);
        Account second = new Account("twin", 1_000_000);
        backAndForth(first, second, Map.of(first, "the first account 'twin'", second, "the second account 'twin'"));
        assertEquals(1_000_000, first.balance(), "as much went each way, so the first 'twin' must be back at 1,000,000");
        assertEquals(1_000_000, second.balance(), "as much went each way, so the second 'twin' must be back at 1,000,000");
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @DisplayName("5 accounts, 10 threads, transfers between random pairs for 0.3 s: all finish, every balance adds up")
    void randomTransfersBetweenManyAccounts() {
        List<Account> accounts = new ArrayList<>();
        Map<Account, String> names = new IdentityHashMap<>();
        for (String id : List.of("A", "B", "C", "D", "E")) {
            Account account = new Account(id, 1_000_000_000); // more than the threads can take out in 0.3 s
            accounts.add(account);
            names.put(account, "account " + id);
        }
        AtomicLongArray expectedChange = new AtomicLongArray(accounts.size());
        Threads.runConcurrently("transfer", 10, LIMIT, names, i -> {
            SplittableRandom random = new SplittableRandom(i);
            long[] change = new long[accounts.size()];
            long end = System.nanoTime() + ROUNDS_FOR.toNanos();
            while (System.nanoTime() < end) {
                int from = random.nextInt(accounts.size());
                int to = (from + 1 + random.nextInt(accounts.size() - 1)) % accounts.size();
                int amount = 1 + random.nextInt(10);
                Bank.transfer(accounts.get(from), accounts.get(to), amount);
                change[from] -= amount;
                change[to] += amount;
            }
            for (int n = 0; n < change.length; n++) expectedChange.addAndGet(n, change[n]);
        });
        for (int n = 0; n < accounts.size(); n++) {
            assertEquals(1_000_000_000 + expectedChange.get(n), accounts.get(n).balance(), "account " + accounts.get(n).id()
                    + ": opening balance plus everything the threads sent to it minus everything they took out;"
                    + " a different value means an update of its balance was lost (changed without its lock?)");
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @DisplayName("no overdraft: 1 thread pays into an account 1 at a time while 8 threads race to take each 1 out, for 0.5 s")
    void noOverdraft() {
        Account payer = new Account("payer", 1_000_000_000); // more than it can pay in 0.5 s
        Account contested = new Account("contested", 0);
        List<Account> takers = new ArrayList<>();
        Map<Account, String> names = new IdentityHashMap<>();
        names.put(payer, "account payer");
        names.put(contested, "account contested");
        for (int t = 1; t <= 8; t++) {
            Account taker = new Account("T" + t, 0);
            takers.add(taker);
            names.put(taker, "account " + taker.id());
        }
        AtomicLong lowest = new AtomicLong();
        Threads.runConcurrently("transfer", 1 + takers.size(), LIMIT, names, i -> {
            long end = System.nanoTime() + Duration.ofMillis(500).toNanos();
            while (System.nanoTime() < end) {
                if (i == 0) {
                    Bank.transfer(payer, contested, 1);
                    continue;
                }
                try {
                    Bank.transfer(contested, takers.get(i - 1), 1);
                    lowest.accumulateAndGet(contested.balance(), Math::min);
                } catch (IllegalStateException e) {
                    // nothing left to take: fine
                }
            }
        });
        assertTrue(lowest.get() >= 0, "the contested account went down to " + lowest.get() + ": an overdraft. Several"
                + " threads saw the 1 that was there, then all withdrew it: the balance check and the withdrawal"
                + " must be one atomic step");
        long taken = takers.stream().mapToLong(Account::balance).sum();
        assertEquals(1_000_000_000, payer.balance() + contested.balance() + taken,
                "money moved between these accounts only, so their total must not change");
        assertTrue(contested.balance() >= 0, "the contested account ended at " + contested.balance() + ": an overdraft");
    }

    /**
     * The story's threads: 20 of them, each sending 1 from x to y (f1), then 1 from y to x (f2),
     * for {@link #ROUNDS_FOR} (a fixed time rather than a count, so that the threads overlap
     * however fast the machine is; the balances end where they started either way).
     */
    private static void backAndForth(Account x, Account y, Map<Account, String> names) {
        Threads.runConcurrently("transfer", 20, LIMIT, names, i -> {
            long end = System.nanoTime() + ROUNDS_FOR.toNanos();
            while (System.nanoTime() < end) {
                for (int round = 0; round < 100; round++) {
                    Bank.transfer(x, y, 1); // f1: the story's code locks x, then y
                    Bank.transfer(y, x, 1); // f2: the story's code locks y, then x
                }
            }
        });
    }
}
