package katas.proof;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import katas.checker.Check;
import katas.checker.KataResult;
import katas.checker.Layer;
import katas.checker.Proof;
import katas.learner.Learner;

/**
 * Keeps the failures that kata READMEs show true. A README's "What goes wrong" shows what the
 * stub (or a naive variant) really prints, in a block that names where it comes from:
 *
 * <pre>
 * &lt;!-- kata-output stub CounterLincheckTest.twoDecrements --&gt;
 * ```text
 * ... what ./kata test prints for that check ...
 * ```
 * </pre>
 *
 * The source is {@code stub} or {@code naive/VARIANT}. {@link #stale} compares each block with a
 * fresh run (the kill matrix's, see KillMatrixTest), after {@link #normalize}: spacing, table
 * widths, stack frames and Lincheck's object numbers may change; the words and the steps may
 * not. {@code -Dkatas.readme=update} rewrites the blocks from the run instead.
 */
final class ReadmeOutputs {
    private ReadmeOutputs() {}

    private static final Pattern BLOCK = Pattern.compile(
            "<!-- kata-output (stub|naive/[\\w.-]+) (\\S+) -->\\n```text\\n(.*?)```", Pattern.DOTALL);

    /**
     * The README's blocks that no longer match the run (empty: all true); with {@code update}, the
     * blocks are rewritten and only blocks that cannot be (no such check, or it passes) are reported.
     */
    static List<String> stale(Path readme, Proof.Outcome run, boolean update) throws IOException {
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        Matcher m = BLOCK.matcher(text);
        List<String> problems = new ArrayList<>();
        StringBuilder updated = new StringBuilder();
        int blocks = 0;
        while (m.find()) {
            blocks++;
            String source = m.group(1);
            String name = m.group(2);
            KataResult result = source.equals("stub") ? run.stub() : run.naive().get(source.substring("naive/".length()));
            Check check = result == null ? null : result.layer(Layer.TESTS).checks().stream()
                    .filter(c -> c.name().equals(name)).findFirst().orElse(null);
            if (check == null || check.passed()) {
                problems.add(readme + ": a block for " + name + " of the " + source + ", which "
                        + (result == null ? "does not exist" : check == null ? "has no such check" : "passes it"));
                m.appendReplacement(updated, Matcher.quoteReplacement(m.group()));
                continue;
            }
            String fresh = render(check);
            if (!update && !normalize(fresh).equals(normalize(m.group(3)))) {
                problems.add(readme + ": the block for " + name + " of the " + source + " is not what it prints now"
                        + " (mvn verify -Dkatas.readme=update rewrites it), which is:\n" + fresh);
            }
            m.appendReplacement(updated, Matcher.quoteReplacement("<!-- kata-output " + source + " " + name + " -->\n```text\n"
                    + fresh + "```"));
        }
        m.appendTail(updated);
        if (blocks == 0) problems.add(readme + ": no <!-- kata-output stub CHECK --> block in \"What goes wrong\"");
        if (update && !updated.toString().equals(text)) Files.writeString(readme, updated.toString(), StandardCharsets.UTF_8);
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
