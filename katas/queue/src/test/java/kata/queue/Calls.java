package kata.queue;

/** Queue calls made where nobody interrupts the thread (the waits are kata.support.Waits). */
final class Calls {
    private Calls() {}

    /** A queue call that may throw InterruptedException, where nobody interrupts the thread. */
    interface Call<T> {
        T call() throws InterruptedException;
    }

    interface Action {
        void run() throws InterruptedException;
    }

    static <T> T uninterrupted(String what, Call<T> call) {
        try {
            return call.call();
        } catch (InterruptedException e) {
            throw new AssertionError(what + " threw InterruptedException, but nobody interrupted the thread", e);
        }
    }

    static void uninterruptedRun(String what, Action action) {
        uninterrupted(what, () -> {
            action.run();
            return null;
        });
    }
}
