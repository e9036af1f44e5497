package katas.grader;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import katas.checker.Check;
import katas.checker.Checker;
import katas.checker.Inert;
import katas.checker.Status;

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
        write(dir.resolve("grade.json"), json(grade));
        // Inert: no control character, no line a CI runner reads as a command (grade.md goes to the job summary).
        write(dir.resolve("grade.md"), Inert.lines(markdown(grade)));
        write(dir.resolve("junit.xml"), junit(grade));
        write(dir.resolve("results.json"), json(exercism(grade)));
        write(dir.resolve("autograding.json"), json(classroom(grade)));
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
                    line(k.name()), line(first.layer().toString()), line(first.name()), line(first.status().toString()),
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
                    + (first.status() == Status.FAIL ? "" : " (" + first.status() + ")") + ": " + firstLine(first.message()), 160, html);
            md.append(String.format(Locale.ROOT, "| %s | %s %s | %d / %d | %s | %.1f s |%n", cell(k.name(), 60, html),
                    k.verdict() == Status.PASS ? "✅" : "❌", k.verdict(), k.score(), k.max(), failure, k.seconds()));
        }
        md.append(String.format(Locale.ROOT, "| **total** | %s | **%d / %d** | | %.1f s |%n",
                g.katas().stream().filter(k -> k.verdict() == Status.PASS).count() + " of " + g.katas().size() + " passed",
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
        StringWriter text = new StringWriter();
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(text);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuites");
            x.writeAttribute("name", "concurrency-katas grade: " + g.score() + " / " + g.max());
            List<Check> all = g.katas().stream().flatMap(k -> k.checks().stream()).toList();
            counts(x, all);
            x.writeAttribute("time", seconds(g.seconds()));
            for (Grade.KataGrade k : g.katas()) {
                x.writeCharacters("\n  ");
                x.writeStartElement("testsuite");
                x.writeAttribute("name", xml(k.name()));
                counts(x, k.checks());
                x.writeAttribute("skipped", "0");
                x.writeAttribute("time", seconds(k.seconds()));
                x.writeCharacters("\n    ");
                x.writeStartElement("properties");
                for (String[] p : List.of(new String[] {"verdict", k.verdict().toString()}, new String[] {"score", Integer.toString(k.score())},
                        new String[] {"max", Integer.toString(k.max())})) {
                    x.writeCharacters("\n      ");
                    x.writeEmptyElement("property");
                    x.writeAttribute("name", p[0]);
                    x.writeAttribute("value", xml(p[1]));
                }
                x.writeCharacters("\n    ");
                x.writeEndElement();
                for (Check c : k.checks()) {
                    x.writeCharacters("\n    ");
                    if (c.passed()) x.writeEmptyElement("testcase");
                    else x.writeStartElement("testcase");
                    x.writeAttribute("classname", xml(k.name() + "." + c.layer()));
                    x.writeAttribute("name", xml(c.name()));
                    x.writeAttribute("time", "0"); // not measured per check: the suite's time is the kata's
                    if (!c.passed()) {
                        x.writeCharacters("\n      ");
                        x.writeStartElement(c.status() == Status.FAIL ? "failure" : "error");
                        x.writeAttribute("type", xml(c.status().toString()));
                        x.writeAttribute("message", xml(Checker.head(firstLine(c.message()), 500)));
                        x.writeCharacters(xml(c.message()));
                        x.writeEndElement();
                        if (!c.output().isEmpty()) {
                            x.writeCharacters("\n      ");
                            x.writeStartElement("system-out");
                            x.writeCharacters(xml(c.output()));
                            x.writeEndElement();
                        }
                        x.writeCharacters("\n    ");
                        x.writeEndElement();
                    }
                }
                x.writeCharacters("\n  ");
                x.writeEndElement();
            }
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return text.append('\n').toString();
    }

    /** The {@code tests}, {@code failures} and {@code errors} attributes of these checks. */
    private static void counts(XMLStreamWriter x, List<Check> checks) throws XMLStreamException {
        long failures = checks.stream().filter(c -> c.status() == Status.FAIL).count();
        x.writeAttribute("tests", Integer.toString(checks.size()));
        x.writeAttribute("failures", Long.toString(failures));
        x.writeAttribute("errors", Long.toString(checks.stream().filter(c -> !c.passed()).count() - failures));
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }

    /**
     * Text XML 1.0 can hold: control characters (but newline and tab) as visible escapes, like
     * every text report ({@link Inert}); a lone surrogate, U+FFFE and U+FFFF as U+FFFD.
     */
    static String xml(String s) {
        return Inert.text(s).replaceAll("[\\p{Cs}\\x{FFFE}\\x{FFFF}]", "\uFFFD");
    }

    // ---------------------------------------------------------------- JSON: grade.json, results.json, autograding.json

    /**
     * How every JSON report is written and read. Written as ASCII (every other character and DEL
     * as a JSON escape: no control character or odd line separator reaches a log that shows the
     * file), with a lone surrogate replaced by U+FFFD, seconds rounded to milliseconds; read
     * leniently (unknown fields ignored, a missing or null text or list taken as empty).
     */
    static final JsonMapper JSON = JsonMapper.builder(new JsonFactoryBuilder()
                    .characterEscapes(new AsciiEscapes()).enable(JsonWriteFeature.ESCAPE_NON_ASCII).build())
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .defaultSetterInfo(JsonSetter.Value.forValueNulls(Nulls.AS_EMPTY))
            .addModule(jsonModule())
            .build();

    private static SimpleModule jsonModule() {
        StdSerializer<Double> millis = new StdSerializer<>(Double.class) {
            @Override
            public void serialize(Double d, JsonGenerator json, SerializerProvider provider) throws IOException {
                json.writeNumber(Math.round(d * 1000) / 1000.0);
            }
        };
        return new SimpleModule().addSerializer(Double.TYPE, millis).addSerializer(Double.class, millis)
                .addSerializer(String.class, new StdSerializer<>(String.class) {
                    @Override
                    public boolean isEmpty(SerializerProvider provider, String s) {
                        return s == null || s.isEmpty();
                    }

                    @Override
                    public void serialize(String s, JsonGenerator json, SerializerProvider provider) throws IOException {
                        json.writeString(s.replaceAll("\\p{Cs}", "\uFFFD"));
                    }
                });
    }

    /** JSON's standard escapes, and DEL. */
    private static final class AsciiEscapes extends CharacterEscapes {
        private final int[] ascii = standardAsciiEscapesForJSON();

        AsciiEscapes() {
            ascii[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int c) {
            return null;
        }
    }

    private static String json(Object value) throws IOException {
        return JSON.writeValueAsString(value) + "\n";
    }

    // ---------------------------------------------------------------- results.json (Exercism, version 3)

    /** The longest output of a test, and what ends one that was cut (both from the interface's text). */
    static final int EXERCISM_OUTPUT = 500;
    static final String EXERCISM_CUT = "Output was truncated. Please limit to 500 chars";
    /** The longest top-level message, in UTF-8 bytes (the interface: 65,535 characters, fewer when multibyte). */
    static final int EXERCISM_MESSAGE = 65_535;

    @JsonInclude(Include.NON_NULL)
    record ExercismResults(int version, String status, String message, List<ExercismTest> tests) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(Include.NON_NULL)
    record ExercismTest(String name, String status, String message, String output, String testCode, int taskId) {}

    static ExercismResults exercism(Grade g) {
        List<ExercismTest> tests = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        boolean anyRan = false;
        for (Grade.KataGrade k : g.katas()) {
            for (Check c : k.checks()) {
                String output = c.output().isEmpty() ? null : c.output().length() <= EXERCISM_OUTPUT ? c.output()
                        : c.output().substring(0, EXERCISM_OUTPUT - EXERCISM_CUT.length() - 1) + "\n" + EXERCISM_CUT;
                tests.add(new ExercismTest(k.name() + " / " + c.layer() + " / " + (c.title().isBlank() ? c.name() : c.title()),
                        c.passed() ? "pass" : c.status() == Status.FAIL ? "fail" : "error",
                        c.passed() ? null : c.message(), output, c.name(), k.task()));
                if (c.status() == Status.COMPILE_ERROR) errors.add(k.name() + ": " + c.message());
                else anyRan = true;
            }
        }
        if (!anyRan) {
            String message = errors.isEmpty() ? "no kata was graded" : String.join("\n\n", errors.stream().distinct().toList());
            return new ExercismResults(3, "error", utf8Head(message, EXERCISM_MESSAGE), tests);
        }
        return new ExercismResults(3, tests.stream().allMatch(t -> t.status().equals("pass")) ? "pass" : "fail", null, tests);
    }

    /** {@code s} cut, with "[...]" at the end, so that its UTF-8 form has at most {@code bytes} bytes. */
    static String utf8Head(String s, int bytes) {
        if (s.getBytes(StandardCharsets.UTF_8).length <= bytes) return s;
        CharBuffer in = CharBuffer.wrap(s);
        StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPLACE)
                .encode(in, ByteBuffer.allocate(bytes - "[...]".length()), true);
        return s.substring(0, in.position()) + "[...]";
    }

    // ---------------------------------------------------------------- autograding.json (GitHub Classroom)

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ClassroomResult(int version, String status, int maxScore, List<ClassroomTest> tests) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ClassroomTest(String name, String status, int score, String message, String testCode, String filename, int lineNo, long duration) {}

    static ClassroomResult classroom(Grade g) {
        List<ClassroomTest> tests = new ArrayList<>();
        boolean anyRan = false;
        for (Grade.KataGrade k : g.katas()) {
            for (Grade.LayerGrade l : k.layers()) {
                Check first = k.checks().stream().filter(c -> c.layer().equals(l.layer()) && !c.passed()).findFirst().orElse(null);
                tests.add(new ClassroomTest(k.name() + ": " + l.layer(),
                        l.status() == Status.PASS ? "pass" : l.status() == Status.FAIL ? "fail" : "error", l.score(),
                        first == null ? l.checks() + " checks passed" : first.name() + " (" + first.status() + "): " + Checker.head(first.message(), 4_000),
                        "ci/grade SUBMISSION --kata " + k.name(), "katas/" + k.name() + "/src/main/java", 0, Math.round(l.seconds() * 1000)));
                anyRan |= l.status() != Status.COMPILE_ERROR;
            }
        }
        return new ClassroomResult(1, !anyRan ? "error" : g.score() == g.max() ? "pass" : "fail", g.max(), tests);
    }
}
