package katas.grader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The grader's command lines: generated help, one option syntax, one set of exit codes (nothing here grades a kata). */
class CliTest {
    private static final Path ROOT = GraderTest.ROOT;

    @TempDir
    Path temp;

    private record Result(int exit, String output) {}

    private static Result run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int exit = Cli.run(ROOT, args, print, print);
        return new Result(exit, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : List.of("grade", "merge-grades", "export-assignment")) {
            Result r = run(command, "-h");
            assertEquals(0, r.exit(), r.output());
            assertTrue(r.output().startsWith("Usage: ci/" + command), r.output());
            assertTrue(r.output().contains("Exit codes: 0"), r.output());
        }
    }

    @Test
    void optionsTakeTheirValueEitherWay() {
        for (List<String> katas : List.of(List.of("--katas", "counter,no-such"), List.of("--katas=counter,no-such"))) {
            String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("merge-grades", temp.resolve("out").toString()),
                    katas.stream()).toArray(String[]::new);
            Result r = run(args);
            assertEquals(2, r.exit(), r.output());
            assertTrue(r.output().contains("unknown kata 'no-such' in --katas"), r.output());
        }
        for (List<String> kata : List.of(List.of("--kata", "no-such"), List.of("--kata=no-such"))) {
            String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("grade", ROOT.toString()), kata.stream())
                    .toArray(String[]::new);
            Result r = run(args);
            assertEquals(2, r.exit(), r.output());
            assertTrue(r.output().contains("unknown kata 'no-such'"), r.output());
        }
    }

    @Test
    void badUsageExitsWith2AndSaysWhy() {
        Result unknownCommand = run("frobnicate");
        assertEquals(2, unknownCommand.exit());
        assertTrue(unknownCommand.output().contains("frobnicate"), unknownCommand.output());
        assertEquals(2, run("grade", ROOT.toString(), "--min-score", "lots").exit());
        assertEquals(2, run("grade", ROOT.toString(), "--min-score=-1").exit());
        assertEquals(2, run("export-assignment").exit());
    }
}
