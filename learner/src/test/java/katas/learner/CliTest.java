package katas.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import katas.checker.Kata;
import org.junit.jupiter.api.Test;

/** The commands of ./kata: generated help, one option syntax, one set of exit codes (nothing here runs a kata). */
class CliTest {
    private static final Path ROOT = LearnerTest.ROOT;

    private record Result(int exit, String output) {}

    private static Result run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int exit = Cli.run(ROOT, args, print, print);
        return new Result(exit, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : List.of("list", "test", "watch", "hint", "stress", "reset", "prove")) {
            Result r = run(command, "--help");
            assertEquals(0, r.exit(), r.output());
            assertTrue(r.output().startsWith("Usage: ./kata " + command), r.output());
        }
        Result all = run();
        assertEquals(0, all.exit(), all.output());
        for (String command : List.of("list", "test", "watch", "hint", "stress", "reset", "prove")) {
            assertTrue(all.output().contains("  " + command + " "), all.output());
        }
        assertEquals(0, run("help", "stress").exit());
    }

    @Test
    void badUsageExitsWith2AndSaysWhy() {
        Result unknownCommand = run("frobnicate");
        assertEquals(2, unknownCommand.exit());
        assertTrue(unknownCommand.output().contains("frobnicate"), unknownCommand.output());
        assertEquals(2, run("test").exit(), "a kata is required");
        Result unknownKata = run("test", "no-such");
        assertEquals(2, unknownKata.exit());
        assertEquals("error: unknown kata 'no-such'; the katas are: " + String.join(", ", Kata.all(ROOT).stream().map(Kata::name).toList()),
                unknownKata.output().strip());
        assertEquals(2, run("test", "counter", "--frobnicate").exit());
        assertEquals(2, run("stress", "counter", "deadlock", "--impl", "reference/counter/src/main/java").exit(), "--impl needs one kata");
    }
}
