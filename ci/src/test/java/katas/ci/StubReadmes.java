package katas.ci;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the failures that kata READMEs show true. A README's "What goes wrong" shows what the stub
 * really prints, in a block that names the check it comes from:
 *
 * <pre>
 * &lt;!-- stub-failure CounterLincheckTest.twoDecrements --&gt;
 * ```text
 * ... what ./kata test prints for that check ...
 * ```
 * </pre>
 *
 * {@link #stale} compares each block with a fresh run of the stub, after {@link #normalize}
 * (spacing, table widths, stack frames and object numbers may change; the story may not).
 * {@code -Dkatas.readme=update} rewrites the blocks from the run instead.
 */
final class StubReadmes {
    private StubReadmes() {}

    private static final Pattern BLOCK = Pattern.compile(
            "<!-- stub-failure (\\S+) -->\\n```text\\n(.*?)```", Pattern.DOTALL);

    /** The README's blocks that no longer match the stub's run (empty: all true); updates them if asked. */
    static List<String> stale(Path readme, Layer tests, boolean update) throws IOException {
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        Matcher m = BLOCK.matcher(text);
        List<String> problems = new ArrayList<>();
        StringBuilder updated = new StringBuilder();
        int blocks = 0;
        while (m.find()) {
            blocks++;
            String name = m.group(1);
            Check check = tests.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
            if (check == null || check.passed()) {
                problems.add(readme + ": the block for " + name + ", but the stub " + (check == null ? "has no such check" : "passes it"));
                m.appendReplacement(updated, Matcher.quoteReplacement(m.group()));
                continue;
            }
            String fresh = render(check);
            if (!normalize(fresh).equals(normalize(m.group(2)))) {
                problems.add(readme + ": the block for " + name + " is not what the stub prints now, which is:\n" + fresh);
            }
            m.appendReplacement(updated, Matcher.quoteReplacement("<!-- stub-failure " + name + " -->\n```text\n" + fresh + "```"));
        }
        m.appendTail(updated);
        if (blocks == 0) problems.add(readme + ": no <!-- stub-failure CHECK --> block in \"What goes wrong\"");
        if (update && !updated.toString().equals(text)) {
            Files.writeString(readme, updated.toString(), StandardCharsets.UTF_8);
            return List.of();
        }
        return problems;
    }

    /** The check as {@code ./kata test} shows a first failure (without colour). */
    static String render(Check check) {
        return check.name() + "\n" + Learner.compact(check.message(), false).replace("\t", "    ").indent(2).stripTrailing() + "\n";
    }

    /**
     * What must not change: the words and the order of the steps. Stack frames (line numbers),
     * Lincheck's object numbers, run-dependent counts, spacing and the width of table rules may.
     */
    static String normalize(String s) {
        List<String> lines = new ArrayList<>();
        for (String line : s.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("at ") || l.startsWith("(the detailed trace")) continue;
            l = l.replaceAll("-{3,}", "---").replaceAll("#\\d+", "#N").replaceAll("\\s+", " ");
            lines.add(l);
        }
        return String.join("\n", lines);
    }
}
