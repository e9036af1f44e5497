package katas.ci;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The reports of a {@link Grade}, all written from it:
 * <ul>
 *   <li>{@code grade.json}: the grade itself (schema in ci/README.md);</li>
 *   <li>{@code grade.md}: a Markdown summary for people and for {@code $GITHUB_STEP_SUMMARY};</li>
 *   <li>{@code junit.xml}: one testsuite per kata, one testcase per check;</li>
 *   <li>{@code results.json}: Exercism's test runner format, version 3 (task_id = the kata's number);</li>
 *   <li>{@code autograding.json}: a GitHub Classroom autograding result (what the
 *       autograding-grading-reporter action reads, Base64-encoded, from {@code <RUNNER>_RESULTS}).</li>
 * </ul>
 */
final class Reports {
    private Reports() {}

    static final List<String> FILES = List.of("grade.json", "grade.md", "junit.xml", "results.json", "autograding.json");

    static void write(Grade grade, Path dir) throws IOException {
        Files.createDirectories(dir);
        write(dir.resolve("grade.json"), Json.write(grade.toJson()));
        // Inert: no control character, no line a CI runner reads as a command (grade.md goes to the job summary).
        write(dir.resolve("grade.md"), Inert.lines(markdown(grade)));
        write(dir.resolve("junit.xml"), junit(grade));
        write(dir.resolve("results.json"), Json.write(exercism(grade)));
        write(dir.resolve("autograding.json"), Json.write(classroom(grade)));
    }

    /** UTF-8, with what cannot be encoded (a lone surrogate in a message) replaced, never an exception. */
    private static void write(Path file, String text) throws IOException {
        Files.write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- grade.md

    static String markdown(Grade g) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "## Grade: %d / %d points%n%n", g.score(), g.max()));
        md.append(table(g)).append('\n');
        md.append("Time per layer: ");
        List<String> times = new ArrayList<>();
        for (Grade.KataGrade k : g.katas()) {
            for (Grade.LayerGrade l : k.layers()) {
                times.add(String.format(Locale.ROOT, "%s %s %.1f s", k.name(), l.layer(), l.seconds()));
            }
        }
        md.append(times.isEmpty() ? "-" : String.join(", ", times)).append(".\n");
        if (!g.ignored().isEmpty()) {
            md.append("\nIgnored, taken from the trusted checkout instead (only `katas/NAME/src/main/java/**.java` is graded): ");
            List<String> shown = g.ignored().stream().limit(30).map(p -> "`" + line(p) + "`").toList();
            md.append(String.join(", ", shown));
            if (g.ignored().size() > shown.size()) md.append(", and ").append(g.ignored().size() - shown.size()).append(" more");
            md.append(".\n");
        }
        for (Grade.KataGrade k : g.katas()) {
            Check first = k.firstFailure();
            if (first == null) continue;
            // <pre> with the message HTML-escaped: nothing in it is markup, and (unlike a fence) nothing in it can end it.
            md.append(String.format("%n<details><summary>%s: %s %s (%s)</summary>%n%n<pre>%n%s%n</pre>%n</details>%n",
                    line(k.name()), line(first.layer()), line(first.name()), line(first.status()),
                    html(Inert.text(Checker.head(first.message(), 6_000)))));
        }
        return md.toString();
    }

    /** The summary table for grade.md (Markdown, HTML-escaped): kata, verdict, points, first failure, time; then the total. */
    static String table(Grade g) {
        return table(g, true);
    }

    /** The summary table; {@code html}: escape for Markdown renderers, else plain for a terminal. */
    static String table(Grade g, boolean html) {
        StringBuilder md = new StringBuilder("| kata | verdict | points | first failure | time |\n|---|---|---|---|---|\n");
        for (Grade.KataGrade k : g.katas()) {
            Check first = k.firstFailure();
            String failure = first == null ? "-" : cell(first.layer() + ": " + first.name()
                    + (first.status().equals(Check.FAIL) ? "" : " (" + first.status() + ")") + ": " + firstLine(first.message()), 160, html);
            md.append(String.format(Locale.ROOT, "| %s | %s %s | %d / %d | %s | %.1f s |%n", cell(k.name(), 60, html),
                    k.verdict().equals(Check.PASS) ? "✅" : "❌", k.verdict(), k.score(), k.max(), failure, k.seconds()));
        }
        md.append(String.format(Locale.ROOT, "| **total** | %s | **%d / %d** | | %.1f s |%n",
                g.katas().stream().filter(k -> k.verdict().equals(Check.PASS)).count() + " of " + g.katas().size() + " passed",
                g.score(), g.max(), g.seconds()));
        return md.toString();
    }

    /**
     * The line of a message that says what went wrong: the first that is not blank or a banner
     * ("= Concurrent test failed ="), without the exception's class name in front.
     */
    static String firstLine(String s) {
        String line = s.strip().lines().map(String::strip).filter(l -> !l.isEmpty() && !l.matches("^=.*=$"))
                .findFirst().orElse("");
        return line.replaceFirst("^(?:[a-z][\\w$]*\\.)+[A-Z][\\w$]*(?:Error|Exception|Failure): ", "");
    }

    private static String cell(String s, int max, boolean html) {
        String c = Inert.text(s.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("\r", " "));
        if (html) c = html(c);
        return c.length() <= max ? c : c.substring(0, max) + "…";
    }

    /** One line of escaped HTML, no backquotes (for a summary). */
    private static String line(String s) {
        return html(Inert.text(s.replace('\n', ' ').replace('\r', ' ').replace('`', '\'')));
    }

    private static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    // ---------------------------------------------------------------- junit.xml

    static String junit(Grade g) {
        int tests = 0;
        int failures = 0;
        int errors = 0;
        StringBuilder suites = new StringBuilder();
        for (Grade.KataGrade k : g.katas()) {
            int kf = 0;
            int ke = 0;
            StringBuilder cases = new StringBuilder();
            for (Check c : k.checks()) {
                cases.append("    <testcase classname=\"").append(attr(k.name() + "." + c.layer())).append("\" name=\"")
                        .append(attr(c.name())).append('"');
                if (c.passed()) {
                    cases.append("/>\n");
                    continue;
                }
                boolean failure = c.status().equals(Check.FAIL);
                if (failure) kf++; else ke++;
                String tag = failure ? "failure" : "error";
                cases.append(">\n      <").append(tag).append(" type=\"").append(attr(c.status())).append("\" message=\"")
                        .append(attr(Checker.head(firstLine(c.message()), 500))).append("\">")
                        .append(text(Checker.head(c.message(), Grade.MESSAGE_KEPT))).append("</").append(tag).append(">\n");
                if (!c.output().isEmpty()) cases.append("      <system-out>").append(text(c.output())).append("</system-out>\n");
                cases.append("    </testcase>\n");
            }
            tests += k.checks().size();
            failures += kf;
            errors += ke;
            suites.append(String.format(Locale.ROOT, "  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"0\" time=\"%.3f\">%n",
                    attr(k.name()), k.checks().size(), kf, ke, k.seconds()));
            suites.append("    <properties>\n");
            suites.append("      <property name=\"verdict\" value=\"").append(attr(k.verdict())).append("\"/>\n");
            suites.append("      <property name=\"score\" value=\"").append(k.score()).append("\"/>\n");
            suites.append("      <property name=\"max\" value=\"").append(k.max()).append("\"/>\n");
            suites.append("    </properties>\n");
            suites.append(cases).append("  </testsuite>\n");
        }
        return String.format(Locale.ROOT, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>%n"
                + "<testsuites name=\"concurrency-katas grade: %d / %d\" tests=\"%d\" failures=\"%d\" errors=\"%d\" time=\"%.3f\">%n",
                g.score(), g.max(), tests, failures, errors, g.seconds()) + suites + "</testsuites>\n";
    }

    /** Text as XML 1.0 character data: escaped, and without the characters XML cannot hold. */
    static String text(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
                continue;
            }
            boolean legal = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
            if (!legal) b.append('\uFFFD');
            else if (c == '<') b.append("&lt;");
            else if (c == '>') b.append("&gt;");
            else if (c == '&') b.append("&amp;");
            else b.append(c);
        }
        return b.toString();
    }

    static String attr(String s) {
        return text(s).replace("\"", "&quot;").replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;");
    }

    // ---------------------------------------------------------------- results.json (Exercism, version 3)

    static final int EXERCISM_OUTPUT = 500;

    static Map<String, Object> exercism(Grade g) {
        List<Object> tests = new ArrayList<>();
        boolean allPass = true;
        boolean anyRan = false;
        List<String> errors = new ArrayList<>();
        for (Grade.KataGrade k : g.katas()) {
            for (Check c : k.checks()) {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("name", k.name() + " / " + c.layer() + " / " + (c.title().isBlank() ? c.name() : c.title()));
                String status = c.passed() ? "pass" : c.status().equals(Check.FAIL) ? "fail" : "error";
                t.put("status", status);
                t.put("message", c.passed() ? null : Checker.head(c.message(), Grade.MESSAGE_KEPT));
                if (!c.output().isEmpty()) {
                    t.put("output", c.output().length() <= EXERCISM_OUTPUT ? c.output()
                            : c.output().substring(0, EXERCISM_OUTPUT - 50) + "\nOutput was truncated. Please limit to 500 chars");
                }
                t.put("test_code", c.name());
                t.put("task_id", k.task());
                tests.add(t);
                allPass &= c.passed();
                if (c.status().equals(Check.COMPILE_ERROR)) {
                    errors.add(k.name() + ": " + c.message());
                } else {
                    anyRan = true;
                }
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("version", 3);
        String status = !anyRan ? "error" : allPass ? "pass" : "fail";
        r.put("status", status);
        r.put("message", status.equals("error") ? (errors.isEmpty() ? "no kata was graded" : String.join("\n\n", errors.stream().distinct().toList())) : null);
        r.put("tests", tests);
        return r;
    }

    // ---------------------------------------------------------------- autograding.json (GitHub Classroom)

    static Map<String, Object> classroom(Grade g) {
        List<Object> tests = new ArrayList<>();
        boolean anyRan = false;
        for (Grade.KataGrade k : g.katas()) {
            for (Grade.LayerGrade l : k.layers()) {
                Check first = k.checks().stream().filter(c -> c.layer().equals(l.layer()) && !c.passed()).findFirst().orElse(null);
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("name", k.name() + ": " + l.layer());
                t.put("status", l.status().equals(Check.PASS) ? "pass" : l.status().equals(Check.FAIL) ? "fail" : "error");
                t.put("score", l.score());
                t.put("message", first == null ? (l.checks() + " checks passed")
                        : first.name() + " (" + first.status() + "): " + Checker.head(first.message(), 4_000));
                t.put("test_code", "ci/grade SUBMISSION --kata " + k.name());
                t.put("filename", "katas/" + k.name() + "/src/main/java");
                t.put("line_no", 0);
                t.put("duration", Math.round(l.seconds() * 1000));
                tests.add(t);
                anyRan |= !l.status().equals(Check.COMPILE_ERROR);
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("version", 1);
        r.put("status", !anyRan ? "error" : g.score() == g.max() ? "pass" : "fail");
        r.put("max_score", g.max());
        r.put("tests", tests);
        return r;
    }
}
