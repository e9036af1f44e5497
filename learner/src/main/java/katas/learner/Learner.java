package katas.learner;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import katas.checker.Check;
import katas.checker.Checker;
import katas.checker.Exec;
import katas.checker.Inert;
import katas.checker.Kata;
import katas.checker.KataResult;
import katas.checker.Layer;
import katas.checker.LayerResult;
import katas.checker.Points;
import katas.checker.Status;

/**
 * The learner's commands ({@code ./kata test | watch | hint | list | reset | stress}): the same
 * checker, sandbox and test settings as the grader, with output made to be read in seconds.
 *
 * <p>Progress lives in {@code .kata/progress.properties} at the root of the checkout (ignored by
 * Git): per kata its state ({@code red}, {@code green}, {@code stressed}) and how many hints were
 * shown.
 */
public final class Learner {
    private final Path root;
    private final PrintStream out;
    private final boolean color;

    private final Checker checker;
    private final Points points;
    private final Checker.Options base;

    public Learner(Path root, PrintStream out) throws IOException {
        this(root, out, null);
    }

    /** {@code tmp}: where the checker's work directories go (null: the system's temporary directory). */
    public Learner(Path root, PrintStream out, Path tmp) throws IOException {
        this.root = root;
        this.out = out;
        this.points = Points.load(root);
        boolean trace = System.getenv("KATA_TRACE") != null; // the checker's steps and the tests' JVM output, on stderr
        Checker.Options o = points.defaults(trace ? System.err : new PrintStream(PrintStream.nullOutputStream()), false).withTmp(tmp);
        this.base = trace ? o.withEcho(System.err) : o;
        this.checker = new Checker(new CompiledTests(root.resolve(".kata/cache")));
        this.color = System.console() != null && System.getenv("NO_COLOR") == null
                && !"dumb".equals(System.getenv("TERM"));
    }

    // ---------------------------------------------------------------- ./kata test

    /** Runs the kata's tests as the grader does; prints the verdict. Returns 0 green, 1 red. */
    int test(Kata kata, boolean reference, boolean verbose) throws IOException, InterruptedException {
        Path impl = reference ? kata.reference() : kata.stub();
        if (reference && !Files.isDirectory(impl)) {
            out.println("The reference solutions are not part of this assignment (no reference/" + kata.name() + ").");
            return 2;
        }
        return test(kata, reference, verbose, checker.spare(kata, options(kata)));
    }

    /** The grader's settings for this kata (ci/points.properties), for the tests layer only. */
    private Checker.Options options(Kata kata) {
        return points.options(kata.name(), base).withLayers(Set.of(Layer.TESTS));
    }

    private int test(Kata kata, boolean reference, boolean verbose, Checker.Spare spare) throws IOException, InterruptedException {
        Path impl = reference ? kata.reference() : kata.stub();
        out.println(bold("kata " + kata.name()) + (reference ? " (reference)" : "") + ": running the tests...");
        KataResult result = checker.check(kata, reference ? "reference" : "your code", List.of(impl), options(kata), spare).inSourceOrder(kata);
        LayerResult tests = result.layer(Layer.TESTS);
        for (Check c : tests.checks()) {
            // A test without a @DisplayName is titled "method()" by JUnit: its class says more.
            boolean untitled = c.title().isBlank() || c.title().equals(c.name())
                    || c.name().endsWith("." + c.title().replaceFirst("\\(\\)$", ""));
            String title = untitled ? c.name() : c.title();
            out.println("  " + (c.passed() ? green("✓") : red("✗")) + " " + Inert.text(title.replace('\n', ' ')));
        }
        Check first = tests.firstFailure();
        if (first == null) {
            out.printf("%n%s all %d checks pass (%.0f s).%n", green("GREEN:"), tests.checks().size(), tests.seconds());
            if (!reference) {
                setState(kata, "green", false);
                String next = next(kata);
                out.println("Next: ./kata stress " + kata.name() + " (jcstress on real cores)"
                        + (next == null ? "" : ", then the next kata: katas/" + next + "/README.md"));
            }
            return 0;
        }
        long failed = tests.checks().stream().filter(c -> !c.passed()).count();
        out.printf("%n%s %d of %d checks fail. The first one:%n%n", red("RED:"), failed, tests.checks().size());
        out.println(bold(Inert.text(first.name())) + (first.status() == Status.FAIL ? "" : " (" + first.status() + ")"));
        out.println(Inert.text(compact(first.message(), verbose)).indent(2));
        if (!reference) {
            setState(kata, "red", false);
            int shown = hintsShown(kata);
            int total = hints(kata).size();
            if (total > 0) {
                out.println(shown < total ? "Stuck? ./kata hint " + kata.name() + " (hint " + (shown + 1) + " of " + total + ")"
                        : "All " + total + " hints are out: katas/" + kata.name() + "/README.md explains what goes wrong.");
            }
        }
        return 1;
    }

    /**
     * A failure's message for a learner: Lincheck's short interleaving table, without the detailed
     * trace that follows it (unless {@code verbose}), and without JUnit's stack.
     */
    public static String compact(String message, boolean verbose) {
        String m = message.strip();
        if (!verbose) {
            // Stack frames of JUnit, Lincheck and the JDK say nothing to a learner; the kata's own ones do.
            m = String.join("\n", m.lines().filter(l -> !l.strip().startsWith("at ") || (l.contains("kata.")
                    && !l.contains("kata.support."))).toList());
            int detailed = m.indexOf("Detailed trace:");
            if (detailed > 0) m = m.substring(0, detailed).strip() + "\n\n(the detailed trace: ./kata test ... --verbose)";
            m = narrowTables(m, CELL);
            if (m.length() > 12_000) m = m.substring(0, 12_000) + "\n[... cut: ./kata test ... --verbose]";
        }
        return m;
    }

    /** The widest a cell of Lincheck's table may be in the compact view: the table then fits a terminal. */
    static final int CELL = 60;

    /**
     * Lincheck's interleaving tables with every cell cut to {@code max} characters (a cut ends in
     * "…") and the columns fitted again. A cell is long when a step carries a whole assertion
     * message, which the failure already shows above the table; the steps themselves stay. A
     * table whose rows do not all have the same number of cells is left as it is.
     */
    static String narrowTables(String text, int max) {
        List<String> lines = List.of(text.split("\n", -1));
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); ) {
            if (!lines.get(i).startsWith("| ")) {
                out.append(lines.get(i)).append(i + 1 < lines.size() ? "\n" : "");
                i++;
                continue;
            }
            int end = i;
            while (end < lines.size() && lines.get(end).startsWith("| ") && lines.get(end).endsWith(" |")) end++;
            if (end == i) {
                out.append(lines.get(i)).append(i + 1 < lines.size() ? "\n" : "");
                i++;
                continue;
            }
            out.append(table(lines.subList(i, end), max));
            if (end < lines.size()) out.append('\n');
            i = end;
        }
        return out.toString();
    }

    private static String table(List<String> rows, int max) {
        List<String[]> cells = new ArrayList<>();
        int columns = -1;
        for (String row : rows) {
            String inner = row.substring(2, row.length() - 2);
            if (inner.matches("-+")) {
                cells.add(null); // a rule
                continue;
            }
            String[] c = inner.split(" \\| ", -1);
            if (columns >= 0 && c.length != columns) return String.join("\n", rows);
            columns = c.length;
            boolean header = cells.stream().allMatch(java.util.Objects::isNull); // the threads' names, centred
            for (int k = 0; k < c.length; k++) {
                String cell = header ? c[k].strip() : c[k].stripTrailing();
                c[k] = cell.length() > max ? cell.substring(0, max - 1) + "…" : cell;
            }
            cells.add(c);
        }
        if (columns < 0) return String.join("\n", rows);
        int[] width = new int[columns];
        for (String[] c : cells) if (c != null) for (int k = 0; k < columns; k++) width[k] = Math.max(width[k], c[k].strip().isEmpty() ? 0 : c[k].length());
        int inner = (columns - 1) * 3;
        for (int w : width) inner += w;
        List<String> out = new ArrayList<>();
        boolean header = true;
        for (String[] c : cells) {
            if (c == null) {
                out.add("| " + "-".repeat(inner) + " |");
                continue;
            }
            StringBuilder row = new StringBuilder("| ");
            for (int k = 0; k < columns; k++) {
                String cell = header ? center(c[k].strip(), width[k]) : c[k];
                row.append(cell).append(" ".repeat(Math.max(0, width[k] - cell.length()))).append(k + 1 < columns ? " | " : " |");
            }
            out.add(row.toString());
            header = false;
        }
        return String.join("\n", out);
    }

    private static String center(String s, int width) {
        int left = Math.max(0, (width - s.length()) / 2);
        return " ".repeat(left) + s;
    }

    // ---------------------------------------------------------------- ./kata watch

    /**
     * Re-runs the tests on every save of the kata's sources; Ctrl-C leaves. Between runs the next
     * run's JVM is already started and warm (see {@link Checker#spare}), so a save is a verdict in
     * about the time the tests themselves take. Returns when {@code stop} is interrupted or the
     * watch service closes (the tests: Ctrl-C ends the JVM, whose shutdown hooks kill the spare).
     */
    int watch(Kata kata, boolean verbose) throws IOException, InterruptedException {
        Checker.Spare[] next = new Checker.Spare[1];
        Thread cleanup = new Thread(() -> {
            Exec.killAll();
            if (next[0] != null) Checker.deleteTree(next[0].work());
        }, "watch-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
            register(watcher, kata.stub());
            next[0] = checker.spare(kata, options(kata));
            while (true) {
                if (color) out.print("\033[H\033[2J");
                Checker.Spare spare = next[0];
                int code;
                try {
                    code = test(kata, false, verbose, spare);
                } finally {
                    next[0] = checker.spare(kata, options(kata)); // warms up while the learner reads and edits
                }
                out.println("\nWatching katas/" + kata.name() + "/src/main/java: save a file to run again, Ctrl-C to stop.");
                if (code == 0) {
                    String after = next(kata);
                    if (after != null) out.println("Green! The next kata is " + after + ": ./kata watch " + after);
                }
                out.flush();
                WatchKey key = watcher.take(); // blocks: no polling
                TimeUnit.MILLISECONDS.sleep(150); // an editor's save is often several writes: take them as one
                do {
                    key.pollEvents();
                    key.reset();
                } while ((key = watcher.poll()) != null);
                register(watcher, kata.stub()); // new directories
            }
        } catch (ClosedWatchServiceException e) {
            return 0;
        } finally {
            if (next[0] != null) next[0].discard();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs
            }
        }
    }

    private static void register(WatchService watcher, Path dir) throws IOException {
        try (Stream<Path> dirs = Files.walk(dir)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                d.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
        }
    }

    // ---------------------------------------------------------------- ./kata hint

    /** Shows the next hint of the kata's README, and the ones already shown. */
    int hint(Kata kata) throws IOException {
        List<String> hints = hints(kata);
        if (hints.isEmpty()) {
            out.println("katas/" + kata.name() + "/README.md has no hints.");
            return 0;
        }
        int shown = Math.min(hintsShown(kata) + 1, hints.size());
        for (int i = 0; i < shown; i++) {
            out.println((i == shown - 1 ? bold("Hint " + (i + 1) + " of " + hints.size() + ":") : "Hint " + (i + 1) + ":")
                    + " " + hints.get(i));
        }
        if (shown == hints.size()) out.println("\nThat was the last hint.");
        Properties p = progress();
        p.setProperty(kata.name() + ".hints", Integer.toString(shown));
        save(p);
        return 0;
    }

    /** The numbered items of the README's "## Hints" section, each joined into one paragraph. */
    List<String> hints(Kata kata) throws IOException {
        Path readme = root.resolve("katas").resolve(kata.name()).resolve("README.md");
        List<String> hints = new ArrayList<>();
        if (!Files.isRegularFile(readme)) return hints;
        boolean in = false;
        StringBuilder current = null;
        for (String line : Files.readAllLines(readme, StandardCharsets.UTF_8)) {
            if (line.startsWith("## ")) {
                in = line.strip().equalsIgnoreCase("## Hints");
                continue;
            }
            if (!in) continue;
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\d+\\.\\s+(.*)").matcher(line);
            if (m.find()) {
                if (current != null) hints.add(current.toString());
                current = new StringBuilder(m.group(1).strip());
            } else if (current != null && !line.isBlank()) {
                current.append(' ').append(line.strip());
            }
        }
        if (current != null) hints.add(current.toString());
        return hints;
    }

    // ---------------------------------------------------------------- ./kata list

    /** Every kata in learning order, with its state, and a progress bar. */
    int list() throws IOException {
        List<Kata> katas = Kata.all(root);
        Properties p = progress();
        int done = 0;
        for (int i = 0; i < katas.size(); i++) {
            String state = p.getProperty(katas.get(i).name() + ".state", "not started");
            if (!state.equals("not started") && !state.equals("red")) done++;
            String mark = switch (state) {
                case "stressed" -> green("✓✓");
                case "green" -> green("✓ ");
                case "red" -> red("✗ ");
                default -> "  ";
            };
            String label = switch (state) {
                case "stressed" -> "stressed green";
                default -> state;
            };
            out.printf("%2d. %s %-12s %s%n", i + 1, mark, katas.get(i).name(), label);
        }
        int width = 30;
        int filled = katas.isEmpty() ? 0 : done * width / katas.size();
        out.printf("%n[%s%s] %d of %d katas green%n", "#".repeat(filled), "-".repeat(width - filled), done, katas.size());
        return 0;
    }

    // ---------------------------------------------------------------- ./kata reset

    /** Restores the kata's stub from the repository (Git); asks first, or needs {@code --yes}. */
    int reset(Kata kata, boolean yes) throws IOException, InterruptedException {
        String path = root.relativize(kata.stub()).toString();
        if (!yes) {
            if (System.console() == null) {
                out.println("error: ./kata reset " + kata.name() + " overwrites your code; without a terminal to ask, say --yes");
                return 2;
            }
            String answer = System.console().readLine("Restore %s from the repository? Your changes there are lost. [y/N] ", path);
            if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).startsWith("y")) {
                out.println("Nothing changed.");
                return 1;
            }
        }
        int checkout = git("checkout", "HEAD", "--", path);
        int clean = checkout == 0 ? git("clean", "-fdq", "--", path) : checkout;
        if (clean != 0) {
            out.println("error: git could not restore " + path + " (is this a Git checkout?)");
            return 2;
        }
        Properties p = progress();
        p.remove(kata.name() + ".state");
        save(p);
        out.println("Restored " + path + ": the stub as it was.");
        return 0;
    }

    private int git(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", root.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        if (p.exitValue() != 0) out.print(said);
        return p.exitValue();
    }

    // ---------------------------------------------------------------- state

    /** After a passing stress run of the learner's own code. */
    void stressed(Kata kata, boolean passed) throws IOException {
        if (passed) setState(kata, "stressed", true);
    }

    String state(Kata kata) throws IOException {
        return progress().getProperty(kata.name() + ".state", "not started");
    }

    private void setState(Kata kata, String state, boolean force) throws IOException {
        Properties p = progress();
        // A green kata that was stressed stays "stressed" until it turns red again.
        if (!force && state.equals("green") && "stressed".equals(p.getProperty(kata.name() + ".state"))) return;
        p.setProperty(kata.name() + ".state", state);
        save(p);
    }

    private int hintsShown(Kata kata) throws IOException {
        return Integer.parseInt(progress().getProperty(kata.name() + ".hints", "0"));
    }

    private String next(Kata kata) {
        List<Kata> all = Kata.all(root);
        int at = all.indexOf(kata);
        return at >= 0 && at + 1 < all.size() ? all.get(at + 1).name() : null;
    }

    private Path progressFile() {
        return root.resolve(".kata/progress.properties");
    }

    private Properties progress() throws IOException {
        Properties p = new Properties();
        if (Files.isRegularFile(progressFile())) {
            try (Reader in = Files.newBufferedReader(progressFile(), StandardCharsets.UTF_8)) {
                p.load(in);
            }
        }
        return p;
    }

    private void save(Properties p) throws IOException {
        Files.createDirectories(progressFile().getParent());
        try (Writer w = Files.newBufferedWriter(progressFile(), StandardCharsets.UTF_8)) {
            p.store(w, "./kata's record of your progress (not part of your code)");
        }
    }

    private String green(String s) {
        return color ? "\033[32m" + s + "\033[0m" : s;
    }

    private String red(String s) {
        return color ? "\033[31m" + s + "\033[0m" : s;
    }

    private String bold(String s) {
        return color ? "\033[1m" + s + "\033[0m" : s;
    }
}
