package kata.queue;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import kata.support.Threads;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * Linearizability of the calls that never wait: {@code offer}, {@code poll}, {@code size} and
 * {@code taskDone}. Each scenario is a few calls before, a few calls in each of two threads at
 * once, and a few calls after. Lincheck's model checker runs it under many interleavings; for each
 * one, the results must be explainable by running the same calls ONE AT A TIME, in some order that
 * keeps each thread's own order, on {@link Sequential} (a plain queue with a task count): the
 * specification. When no such order exists, the failure lists the calls with their results, and
 * Lincheck prints the interleaving that produced them.
 *
 * <p>(The blocking calls cannot be checked this way: see {@link JoinableQueueLincheckTest} for
 * put/take/join, and {@link JoinableQueueTimeoutTest} for the timed calls.)
 */
class JoinableQueueLinearizabilityTest {
    /** Interleavings explored per scenario. */
    private static final int INVOCATIONS = 40;
    private static final int CAPACITY = 2;

    /** One call and its result as text ("true", "null", "1", "refused"). */
    private record Op(String name, int item) {
        String call() {
            return name.equals("offer") ? "offer(" + item + ")" : name + "()";
        }

        String on(JoinableQueue<Integer> q) {
            return switch (name) {
                case "offer" -> String.valueOf(q.offer(item));
                case "poll" -> String.valueOf(q.poll());
                case "size" -> String.valueOf(q.size());
                case "taskDone" -> {
                    try {
                        q.taskDone();
                        yield "done";
                    } catch (IllegalStateException refused) {
                        yield "refused";
                    }
                }
                default -> throw new IllegalArgumentException(name);
            };
        }

        String on(Sequential q) {
            return switch (name) {
                case "offer" -> String.valueOf(q.offer(item));
                case "poll" -> String.valueOf(q.poll());
                case "size" -> String.valueOf(q.size());
                case "taskDone" -> q.taskDone() ? "done" : "refused";
                default -> throw new IllegalArgumentException(name);
            };
        }
    }

    private static Op offer(int item) {
        return new Op("offer", item);
    }

    private static final Op POLL = new Op("poll", 0);
    private static final Op SIZE = new Op("size", 0);
    private static final Op TASK_DONE = new Op("taskDone", 0);

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("Lincheck linearizability: two threads poll the last item, then the queue is used again")
    void pollsRaceForTheLastItem() {
        check(List.of(offer(1)), List.of(POLL, SIZE), List.of(POLL, offer(2)), List.of(SIZE, POLL, POLL));
    }

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("Lincheck linearizability: two threads offer into the last free place of a queue of capacity 2")
    void offersRaceForTheLastPlace() {
        check(List.of(offer(1)), List.of(offer(2), SIZE), List.of(offer(3), POLL), List.of(SIZE, POLL, POLL));
    }

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @DisplayName("Lincheck linearizability: offer and taskDone change the unfinished count at the same time")
    void offerRacesTaskDone() {
        check(List.of(offer(1), POLL), List.of(offer(2), TASK_DONE), List.of(TASK_DONE, POLL), List.of(TASK_DONE, TASK_DONE));
    }

    /**
     * Runs {@code before} in one thread, then {@code first} and {@code second} in two threads at
     * once, then {@code after}, under Lincheck; checks every outcome against the specification.
     */
    private static void check(List<Op> before, List<Op> first, List<Op> second, List<Op> after) {
        Lincheck.runConcurrentTest(INVOCATIONS, () -> {
            JoinableQueue<Integer> q = new JoinableQueue<>(CAPACITY);
            String[] pre = new String[before.size()];
            String[] a = new String[first.size()];
            String[] b = new String[second.size()];
            String[] post = new String[after.size()];
            for (int i = 0; i < pre.length; i++) pre[i] = before.get(i).on(q);
            Threads.runInTwoThreads(() -> {
                for (int i = 0; i < a.length; i++) a[i] = first.get(i).on(q);
            }, () -> {
                for (int i = 0; i < b.length; i++) b[i] = second.get(i).on(q);
            });
            for (int i = 0; i < post.length; i++) post[i] = after.get(i).on(q);
            if (!explainable(before, pre, first, a, second, b, after, post)) {
                // The message is built only on failure: under the model checker every step costs.
                fail("no order of these calls, one at a time, gives these results, so the calls were not atomic:\n"
                        + "  before:   " + show(before, pre) + "\n"
                        + "  thread 1: " + show(first, a) + "\n"
                        + "  thread 2: " + show(second, b) + "\n"
                        + "  after:    " + show(after, post) + "\n"
                        + "(a queue of capacity " + CAPACITY + "; taskDone 'refused' = IllegalStateException)."
                        + " The interleaving that produced them is below.");
            }
        });
    }

    private static String show(List<Op> ops, String[] results) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) parts.add(ops.get(i).call() + " = " + results[i]);
        return String.join(", ", parts);
    }

    /** Whether some merge of the two threads' calls (each in its own order) gives exactly these results. */
    private static boolean explainable(List<Op> before, String[] pre, List<Op> first, String[] a,
                                       List<Op> second, String[] b, List<Op> after, String[] post) {
        Sequential spec = new Sequential();
        for (int i = 0; i < pre.length; i++) if (!before.get(i).on(spec).equals(pre[i])) return false;
        return merge(spec, first, a, 0, second, b, 0, after, post);
    }

    private static boolean merge(Sequential spec, List<Op> first, String[] a, int i,
                                 List<Op> second, String[] b, int j, List<Op> after, String[] post) {
        if (i == a.length && j == b.length) {
            for (int k = 0; k < post.length; k++) if (!after.get(k).on(spec).equals(post[k])) return false;
            return true;
        }
        if (i < a.length) {
            Sequential s = spec.copy();
            if (Objects.equals(first.get(i).on(s), a[i]) && merge(s, first, a, i + 1, second, b, j, after, post)) return true;
        }
        if (j < b.length) {
            Sequential s = spec.copy();
            return Objects.equals(second.get(j).on(s), b[j]) && merge(s, first, a, i, second, b, j + 1, after, post);
        }
        return false;
    }

    /** The specification: a plain bounded FIFO queue with a count of unfinished tasks, one call at a time. */
    static final class Sequential {
        private final int[] items = new int[CAPACITY];
        private int count;
        private int unfinished;

        Sequential copy() {
            Sequential c = new Sequential();
            System.arraycopy(items, 0, c.items, 0, CAPACITY);
            c.count = count;
            c.unfinished = unfinished;
            return c;
        }

        boolean offer(int item) {
            if (count == CAPACITY) return false;
            items[count++] = item;
            unfinished++;
            return true;
        }

        Integer poll() {
            if (count == 0) return null;
            int head = items[0];
            System.arraycopy(items, 1, items, 0, --count);
            return head;
        }

        int size() {
            return count;
        }

        boolean taskDone() {
            if (unfinished == 0) return false;
            unfinished--;
            return true;
        }
    }
}
