import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import kata.queue.JoinableQueue;

/**
 * Benchmark (not a test): throughput of the queue kata's reference JoinableQueue against
 * java.util.concurrent.LinkedBlockingQueue with an AtomicLong task count for join(), at 1, 2 and
 * 4 producer/consumer pairs, both bounded to the same capacity.
 *
 * <p>Each round: N producers put their share of ITEMS items and then join(); N consumers take,
 * and call taskDone() for each. The time runs from the start until every producer's join()
 * returned; then one "stop" item per consumer ends them. One warm-up round per configuration,
 * then ROUNDS measured rounds; the median is reported. Run from the repository root:
 * <pre>
 *   javac -d bench/queue/target reference/queue/src/main/java/kata/queue/JoinableQueue.java
 *   java -cp bench/queue/target bench/queue/QueueBench.java [items per round] [rounds]
 * </pre>
 * Numbers on a loaded machine mean little: run it on an idle one.
 */
public class QueueBench {
    static final int CAPACITY = 1024;
    static final Integer STOP = -1;

    /** The operations the benchmark needs, for both queues. */
    interface Q {
        void put(Integer item) throws InterruptedException;
        Integer take() throws InterruptedException;
        void taskDone();
        void join() throws InterruptedException;
    }

    static Q kata() {
        JoinableQueue<Integer> q = new JoinableQueue<>(CAPACITY);
        return new Q() {
            public void put(Integer item) throws InterruptedException { q.put(item); }
            public Integer take() throws InterruptedException { return q.take(); }
            public void taskDone() { q.taskDone(); }
            public void join() throws InterruptedException { q.join(); }
        };
    }

    /** LinkedBlockingQueue, plus a count of unfinished tasks and a monitor for join(). */
    static Q jdk() {
        LinkedBlockingQueue<Integer> q = new LinkedBlockingQueue<>(CAPACITY);
        AtomicLong unfinished = new AtomicLong();
        Object done = new Object();
        return new Q() {
            public void put(Integer item) throws InterruptedException {
                unfinished.incrementAndGet();
                q.put(item);
            }
            public Integer take() throws InterruptedException { return q.take(); }
            public void taskDone() {
                if (unfinished.decrementAndGet() == 0) {
                    synchronized (done) { done.notifyAll(); }
                }
            }
            public void join() throws InterruptedException {
                synchronized (done) {
                    while (unfinished.get() > 0) done.wait();
                }
            }
        };
    }

    /** One round; returns items per second. */
    static double round(Q q, int pairs, int items) throws InterruptedException {
        int share = items / pairs;
        List<Thread> producers = new ArrayList<>();
        List<Thread> consumers = new ArrayList<>();
        for (int c = 0; c < pairs; c++) {
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        Integer item = q.take();
                        q.taskDone();
                        if (item.equals(STOP)) return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            consumers.add(t);
        }
        for (int p = 0; p < pairs; p++) {
            Thread t = new Thread(() -> {
                try {
                    for (int i = 0; i < share; i++) q.put(i & 0x3ff); // small Integers: cached, no allocation
                    q.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            producers.add(t);
        }
        long start = System.nanoTime();
        consumers.forEach(Thread::start);
        producers.forEach(Thread::start);
        for (Thread t : producers) t.join();
        long took = System.nanoTime() - start;
        for (int c = 0; c < pairs; c++) q.put(STOP);
        for (Thread t : consumers) t.join();
        return share * (double) pairs / (took / 1e9);
    }

    static double median(int pairs, int items, int rounds, java.util.function.Supplier<Q> make)
            throws InterruptedException {
        round(make.get(), pairs, items / 4); // warm-up
        double[] r = new double[rounds];
        for (int i = 0; i < rounds; i++) r[i] = round(make.get(), pairs, items);
        Arrays.sort(r);
        return r[rounds / 2];
    }

    public static void main(String[] args) throws InterruptedException {
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.printf("JoinableQueue (reference) vs LinkedBlockingQueue + AtomicLong join count; capacity %d,"
                + " %,d items per round, median of %d rounds, %d CPUs%n%n", CAPACITY, items, rounds,
                Runtime.getRuntime().availableProcessors());
        System.out.println("| pairs | reference items/s | LinkedBlockingQueue items/s | reference / LBQ |");
        System.out.println("|---|---|---|---|");
        for (int pairs : new int[] {1, 2, 4}) {
            double kata = median(pairs, items, rounds, QueueBench::kata);
            double jdk = median(pairs, items, rounds, QueueBench::jdk);
            System.out.printf("| %d | %,.0f | %,.0f | %.2f |%n", pairs, kata, jdk, kata / jdk);
        }
    }
}
