package kata.queue;

import java.util.ArrayList;
import java.util.List;

/**
 * The story as a program you can watch (not a test): cooks put baozi into one JoinableQueue,
 * consumers (daemon threads, like the story's) take them, eat them and call taskDone(); each cook
 * calls join() and goes home only when every baozi has been eaten. The program then ends, even
 * though the consumers never stop by themselves: they are daemons.
 *
 * <pre>
 *   mvn -q -f katas/queue compile                    # or -Preference, for the reference solution
 *   java -cp katas/queue/target/classes kata.queue.BaoziShop [cooks] [consumers] [baozi per cook]
 * </pre>
 * Defaults: 1 cook, 2 consumers, 10 baozi, as in the story. This file is not graded; change it
 * as you like.
 */
public final class BaoziShop {
    private BaoziShop() {}

    public static void main(String[] args) throws InterruptedException {
        int cooks = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int consumers = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int baozi = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        JoinableQueue<String> queue = new JoinableQueue<>(3); // a small counter: cooks wait when it is full

        for (int c = 1; c <= consumers; c++) {
            String name = "consumer " + c;
            Thread consumer = new Thread(() -> {
                try {
                    while (true) {
                        String bun = queue.take();
                        System.out.println(name + " eats " + bun);
                        queue.taskDone();
                    }
                } catch (InterruptedException e) {
                    System.out.println(name + " was interrupted and leaves");
                }
            }, name);
            consumer.setDaemon(true); // the program does not wait for it: it ends when the cooks are done
            consumer.start();
        }

        List<Thread> kitchen = new ArrayList<>();
        for (int k = 1; k <= cooks; k++) {
            String cook = "cook " + k;
            Thread t = new Thread(() -> {
                try {
                    for (int i = 0; i < baozi; i++) {
                        String bun = "baozi " + i + " of " + cook;
                        queue.put(bun);
                        System.out.println(cook + " made " + bun);
                    }
                    queue.join(); // returns once every baozi put so far has been eaten (taskDone)
                    System.out.println(cook + ": everything I made has been eaten, going home");
                } catch (InterruptedException e) {
                    System.out.println(cook + " was interrupted");
                }
            }, cook);
            kitchen.add(t);
            t.start();
        }
        for (Thread t : kitchen) t.join();
        System.out.println("main: all cooks are home, the shop closes (queue size " + queue.size() + ")");
    }
}
