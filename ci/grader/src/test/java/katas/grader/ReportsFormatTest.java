package katas.grader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import katas.checker.Check;
import katas.checker.KataResult;
import katas.checker.Layer;
import katas.checker.LayerResult;
import katas.checker.Points;
import katas.checker.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The reports against their published formats, on grades built in memory (seconds): results.json
 * against Exercism's test runner interface version 3 and autograding.json against GitHub
 * Classroom's result, each with a JSON Schema (src/test/resources/katas/grader) and what a schema
 * cannot say; junit.xml read by the JDK's XML parser, with the attributes CI tools read.
 */
class ReportsFormatTest {
    /** What graded code may print: control characters, markup, a lone surrogate, an emoji, non-ASCII. */
    static final String NASTY = "nul\u0000 bell\u0007 del\u007f csi\u009b <tag> & \"quotes\" ]]> lone\uD800 pair\uD83D\uDE00 é\r\nend";
    static final ObjectMapper PLAIN = new ObjectMapper();

    @TempDir
    Path temp;

    /** counter: tests fail (a long output, a nasty message), stress errs; deadlock: passes; rlock: does not compile. */
    static Grade mixed() {
        Points points = Points.load(GraderTest.ROOT);
        LayerResult tests = LayerResult.of(Layer.TESTS, List.of(
                new Check(Layer.TESTS, Status.PASS, "CounterTest.startsAtZero", "", "starts at zero", "hello\n"),
                new Check(Layer.TESTS, Status.FAIL, "CounterTest.twoThreads", "org.opentest4j.AssertionFailedError: expected: <2> but was: <1>\n" + NASTY,
                        "", "x".repeat(700) + NASTY),
                new Check(Layer.TESTS, Status.TIMEOUT, "CounterLincheckTest.lincheck" + NASTY, "the layer hit its limit", "", "")), 2.25, "");
        LayerResult stress = LayerResult.broken(Layer.STRESS, Status.ERROR, "the JVM exited: System.exit(3)", 0.5, "");
        Grade.KataGrade counter = Grade.score(new KataResult("counter", "submission", List.of(tests, stress)), points, points.layers(), 1, 3);
        Grade.KataGrade deadlock = Grade.score(new KataResult("deadlock", "submission", List.of(
                LayerResult.of(Layer.TESTS, List.of(new Check(Layer.TESTS, Status.PASS, "TransferTest.opposite", "")), 1.0, ""),
                LayerResult.of(Layer.STRESS, List.of(new Check(Layer.STRESS, Status.PASS, "kata.deadlock.stress.TransferStress", "")), 9.0, ""))),
                points, points.layers(), 2, 10.125);
        return Grade.of(List.of(counter, deadlock, compileError("rlock", 3, "Lock.java:3: error: ';' expected")),
                List.of("notes " + NASTY), 13.5, "none (test)");
    }

    static Grade.KataGrade compileError(String kata, int task, String message) {
        Points points = Points.load(GraderTest.ROOT);
        List<LayerResult> layers = points.layers().stream().map(l -> LayerResult.broken(l, Status.COMPILE_ERROR, message, 0, "")).toList();
        return Grade.score(new KataResult(kata, "submission", layers), points, points.layers(), task, 0.5);
    }

    @Test
    void resultsJsonFollowsExercismsInterfaceVersion3() throws Exception {
        Grade grade = mixed();
        JsonNode results = write(grade, "results.json");
        assertValid("exercism-results-v3.schema.json", results);
        assertEquals("fail", results.get("status").asText());
        assertFalse(results.has("message"), "a top-level message only on error");

        // One test per check, in the order of the grade (the order of the test files), each linked to its kata's number.
        List<String> expected = new ArrayList<>();
        List<Integer> tasks = new ArrayList<>();
        for (Grade.KataGrade k : grade.katas()) {
            for (Check c : k.checks()) {
                expected.add(c.name().replaceAll("\\p{Cs}", "\uFFFD"));
                tasks.add(k.task());
            }
        }
        List<String> codes = new ArrayList<>();
        List<Integer> taskIds = new ArrayList<>();
        for (JsonNode t : results.get("tests")) {
            codes.add(t.get("test_code").asText());
            assertTrue(t.get("task_id").isInt(), "task_id is an integer: " + t.get("task_id"));
            taskIds.add(t.get("task_id").asInt());
        }
        assertEquals(expected, codes);
        assertEquals(tasks, taskIds);

        JsonNode first = results.get("tests").get(0);
        assertEquals("counter / tests / starts at zero", first.get("name").asText());
        assertEquals("pass", first.get("status").asText());
        assertFalse(first.has("message") && !first.get("message").isNull(), "a passing test has no message");
        assertEquals("hello\n", first.get("output").asText());
        JsonNode failed = results.get("tests").get(1);
        assertEquals("fail", failed.get("status").asText());
        String output = failed.get("output").asText();
        assertTrue(output.length() <= 500 && output.endsWith("\nOutput was truncated. Please limit to 500 chars"), output);
        assertEquals("error", results.get("tests").get(2).get("status").asText(), "timeout is an error");
        assertEquals("error", results.get("tests").get(3).get("status").asText());
    }

    @Test
    void resultsJsonIsAnErrorWithALimitedMessageWhenNothingRan() throws Exception {
        // 40,000 three-byte characters: fewer than 65,535 characters, more than 65,535 bytes.
        Grade grade = Grade.of(List.of(compileError("counter", 1, "€".repeat(40_000)), compileError("rlock", 3, "expected ';'")),
                List.of(), 1, "none (test)");
        JsonNode results = write(grade, "results.json");
        assertValid("exercism-results-v3.schema.json", results);
        assertEquals("error", results.get("status").asText());
        String message = results.get("message").asText();
        assertTrue(message.startsWith("counter: €"), message.substring(0, 20));
        assertTrue(message.getBytes(StandardCharsets.UTF_8).length <= 65_535, message.getBytes(StandardCharsets.UTF_8).length + " bytes");

        JsonNode none = write(Grade.of(List.of(), List.of(), 0, ""), "results.json");
        assertValid("exercism-results-v3.schema.json", none);
        assertEquals("error", none.get("status").asText());
    }

    @Test
    void autogradingJsonIsAClassroomResult() throws Exception {
        for (Grade grade : List.of(mixed(), Grade.of(List.of(compileError("counter", 1, "no")), List.of(), 1, ""))) {
            JsonNode result = write(grade, "autograding.json");
            assertValid("classroom-autograding.schema.json", result);
            assertEquals(grade.max(), result.get("max_score").asInt());
            int sum = 0;
            int layers = 0;
            for (JsonNode t : result.get("tests")) {
                assertTrue(t.get("line_no").isInt() && t.get("line_no").asInt() == 0, t.toString());
                sum += t.get("score").asInt();
                layers++;
            }
            assertEquals(grade.score(), sum, "the reporter adds up the tests' scores");
            assertEquals(grade.katas().stream().mapToInt(k -> k.layers().size()).sum(), layers);
        }
        JsonNode mixed = write(mixed(), "autograding.json");
        assertEquals("fail", mixed.get("status").asText());
        assertEquals("deadlock: tests", mixed.get("tests").get(2).get("name").asText());
        assertEquals("pass", mixed.get("tests").get(2).get("status").asText());
        assertEquals(6, mixed.get("tests").get(2).get("score").asInt());
        assertEquals("error", write(Grade.of(List.of(compileError("counter", 1, "no")), List.of(), 1, ""), "autograding.json")
                .get("status").asText());
    }

    @Test
    void junitXmlIsWellFormedWithTheAttributesCiToolsRead() throws Exception {
        Grade grade = mixed();
        Reports.write(grade, temp);
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document xml = f.newDocumentBuilder().parse(temp.resolve("junit.xml").toFile());

        Element root = xml.getDocumentElement();
        assertEquals("testsuites", root.getTagName());
        assertEquals("8", root.getAttribute("tests"));
        assertEquals("1", root.getAttribute("failures"));
        assertEquals("4", root.getAttribute("errors"));
        assertEquals("13.500", root.getAttribute("time"));
        NodeList suites = xml.getElementsByTagName("testsuite");
        assertEquals(3, suites.getLength());
        Element counter = (Element) suites.item(0);
        assertEquals("counter", counter.getAttribute("name"));
        assertEquals(List.of("4", "1", "2", "0", "3.000"), List.of(counter.getAttribute("tests"), counter.getAttribute("failures"),
                counter.getAttribute("errors"), counter.getAttribute("skipped"), counter.getAttribute("time")));
        NodeList cases = xml.getElementsByTagName("testcase");
        assertEquals(8, cases.getLength());
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            for (String a : List.of("classname", "name", "time")) assertTrue(c.hasAttribute(a), a + " of testcase " + i);
        }
        Element second = (Element) cases.item(1);
        assertEquals("counter.tests", second.getAttribute("classname"));
        assertEquals("CounterTest.twoThreads", second.getAttribute("name"));
        Element failure = (Element) second.getElementsByTagName("failure").item(0);
        assertEquals("fail", failure.getAttribute("type"));
        assertEquals("expected: <2> but was: <1>", failure.getAttribute("message"));
        // Control characters visible as escapes, markup as text, the lone surrogate replaced, the rest as it was.
        assertTrue(failure.getTextContent().contains("nul\\u0000 bell\\u0007 del\\u007f csi\\u009b <tag> & \"quotes\" ]]> lone\uFFFD pair\uD83D\uDE00 é\\u000d\nend"),
                failure.getTextContent());
        assertTrue(second.getElementsByTagName("system-out").item(0).getTextContent().startsWith("xxx"));
        Element timeout = (Element) ((Element) cases.item(2)).getElementsByTagName("error").item(0);
        assertEquals("timeout", timeout.getAttribute("type"));
        assertEquals(0, ((Element) cases.item(4)).getChildNodes().getLength(), "a passing testcase is empty");
    }

    @Test
    void jsonReportsAreAsciiWithoutControlCharactersAndGradeJsonReadsBack() throws Exception {
        Grade grade = mixed();
        Reports.write(grade, temp);
        for (String file : List.of("grade.json", "results.json", "autograding.json")) {
            String text = Files.readString(temp.resolve(file), StandardCharsets.UTF_8);
            assertTrue(text.chars().allMatch(c -> c == '\n' || c >= 0x20 && c < 0x7f), file + " is printable ASCII");
            PLAIN.readTree(text);
        }
        Grade back = Grade.read(temp.resolve("grade.json"));
        assertEquals(grade.score(), back.score());
        assertEquals(grade.katas().get(1), back.katas().get(1), "deadlock's grade, read back whole");
        Check nasty = grade.katas().get(0).checks().get(1);
        assertEquals(nasty.message().replace("\uD800", "\uFFFD"), back.katas().get(0).checks().get(1).message());
        JsonNode json = PLAIN.readTree(temp.resolve("grade.json").toFile());
        assertEquals(1, json.get("version").asInt());
        assertEquals("fail", json.get("verdict").asText());
        assertEquals(13.5, json.get("seconds").asDouble());
        assertEquals("CounterTest.twoThreads", json.get("katas").get(0).get("first_failure").get("name").asText());
        assertTrue(json.get("katas").get(1).get("first_failure").isNull());
        JsonNode passed = json.get("katas").get(1).get("checks").get(0);
        assertFalse(passed.has("title") || passed.has("output"), "title and output only when there are some: " + passed);
        assertEquals(Set.of("layer", "status", "score", "max", "seconds", "checks", "failed"),
                Set.copyOf(iterable(json.get("katas").get(0).get("layers").get(0).fieldNames())));
    }

    private JsonNode write(Grade grade, String file) throws Exception {
        Reports.write(grade, temp);
        return PLAIN.readTree(temp.resolve(file).toFile());
    }

    private static void assertValid(String schemaFile, JsonNode json) throws Exception {
        try (InputStream in = ReportsFormatTest.class.getResourceAsStream(schemaFile)) {
            Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
            List<Error> errors = schema.validate(json);
            assertEquals(List.of(), errors.stream().map(Error::toString).toList(), schemaFile + ": " + json);
        }
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> list = new ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }
}
