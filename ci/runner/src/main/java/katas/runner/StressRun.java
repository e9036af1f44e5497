package katas.runner;

import java.io.FileNotFoundException;
import java.io.ObjectInputFilter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.openjdk.jcstress.JCStress;
import org.openjdk.jcstress.Options;
import org.openjdk.jcstress.infra.Status;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.InProcessCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;
import org.openjdk.jcstress.infra.grading.ReportUtils;

/**
 * The trusted main of the stress layer's JVM: the jcstress host. Runs jcstress with the given
 * arguments exactly as {@code org.openjdk.jcstress.Main} does (the harnesses run in forked JVMs),
 * then reads jcstress's own binary results file (not its console output, which the code under
 * test can imitate) and hands back one signed record per harness (see {@link Signed}).
 *
 * <p>Results: one {@link Results.HarnessOutcome} per harness (PASS, FAIL, TIMEOUT or ERROR, with
 * jcstress's outcome table as its report), or the crash.
 */
public final class StressRun {
    private StressRun() {}

    /** The results file is Java serialization written next to code under test: accept only what jcstress writes. */
    static final String SERIAL_FILTER = "maxdepth=64;maxrefs=2000000;maxbytes=268435456;maxarray=16777216;"
            + "org.openjdk.jcstress.**;java.lang.*;java.util.*;java.lang.Enum;!*";

    /** How much of one harness's report (outcome table, messages, the code's output) is kept. */
    private static final int REPORT_KEPT = 20_000;

    public static void main(String[] args) throws Exception {
        Signed.Channel channel = Signed.readChannel();
        ObjectInputFilter.Config.setSerialFilter(ObjectInputFilter.Config.createFilter(SERIAL_FILTER));
        Results results;
        try {
            Options options = new Options(args);
            if (!options.parse()) {
                results = Results.crashed("jcstress did not accept its options: " + String.join(" ", args));
            } else {
                try {
                    new JCStress(options).run();
                } catch (AssertionError e) {
                    // jcstress's way to end with a non-zero exit code when a harness failed: the results file says which
                }
                results = Results.ofHarnesses(harnesses(options.getResultFile()));
            }
        } catch (OutOfMemoryError e) {
            results = Results.crashed("jcstress ran out of memory (" + e.getMessage() + "): it keeps everything the"
                    + " harnesses' JVMs print; does the code print a lot?");
        } catch (Throwable e) {
            results = Results.crashed("jcstress broke: " + TestRun.stackTrace(e, 40));
        }
        System.out.flush();
        Signed.write(channel, results);
        Runtime.getRuntime().halt(0);
    }

    private static List<Results.HarnessOutcome> harnesses(String resultFile) throws Exception {
        InProcessCollector collector = new InProcessCollector();
        if (!Files.exists(Path.of(resultFile))) return List.of(); // "No matching tests": nothing ran
        DiskReadCollector reader;
        try {
            reader = new DiskReadCollector(resultFile, collector);
        } catch (FileNotFoundException e) {
            return List.of();
        }
        try {
            reader.dump();
        } finally {
            reader.close();
        }
        List<TestResult> merged = new ArrayList<>(ReportUtils.mergedByName(collector.getTestResults()));
        merged.sort(Comparator.comparing(TestResult::getName));
        List<Results.HarnessOutcome> outcomes = new ArrayList<>();
        for (TestResult r : merged) {
            Results.Status status;
            if (r.status() == Status.NORMAL) status = r.grading().isPassed ? Results.Status.PASS : Results.Status.FAIL;
            else if (r.status() == Status.TIMEOUT_ERROR) status = Results.Status.TIMEOUT;
            else status = Results.Status.ERROR;
            StringWriter report = new StringWriter();
            ReportUtils.printResult(new PrintWriter(report), r, true);
            String text = report.toString();
            if (text.length() > REPORT_KEPT) text = text.substring(0, REPORT_KEPT) + "\n[... report cut]";
            outcomes.add(new Results.HarnessOutcome(r.getName(), status, ReportUtils.statusToLabel(r), text));
        }
        return outcomes;
    }
}
