package katas.grader;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import katas.checker.Check;
import katas.checker.Checker;
import katas.checker.KataResult;
import katas.checker.Layer;
import katas.checker.LayerResult;
import katas.checker.Points;
import katas.checker.Status;

/**
 * A graded submission: per kata its verdict, points and checks; the total; the files ignored.
 * This is what grade.json holds (see ci/README.md for the schema), and what every other report
 * is written from ({@link Reports}). Its JSON form is these records as Jackson writes them.
 */
@JsonPropertyOrder({"version", "score", "max", "verdict", "seconds", "sandbox", "katas", "ignored"})
public record Grade(int score, int max, double seconds, List<Grade.KataGrade> katas, List<String> ignored, String sandbox) {
    /** The longest message kept for one check in the grade, hence in every report. */
    static final int MESSAGE_KEPT = 30_000;

    /** One layer of one kata: its status and the points it earned (all or nothing). */
    record LayerGrade(Layer layer, Status status, int score, int max, double seconds, int checks, int failed) {}

    /** The version of grade.json's schema (ci/README.md). */
    @JsonProperty
    int version() {
        return 1;
    }

    /** One kata: verdict pass only when every layer passed. {@code task} numbers the katas 1, 2, ... (Exercism's task_id). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"name", "task", "verdict", "score", "max", "seconds", "layers", "first_failure", "checks"})
    public record KataGrade(String name, int task, Status verdict, int score, int max, double seconds, List<LayerGrade> layers, List<Check> checks) {
        @JsonProperty
        Check firstFailure() {
            return checks.stream().filter(c -> !c.passed()).findFirst().orElse(null);
        }
    }

    /**
     * Scores one kata's result: each graded layer earns its points when it passed, else 0. A layer
     * that did not run (the kill matrix skips stress on variants the tests caught) earns 0.
     */
    public static KataGrade score(KataResult result, Points points, Set<Layer> layers, int task, double seconds) {
        List<LayerGrade> graded = new ArrayList<>();
        List<Check> checks = new ArrayList<>();
        int score = 0;
        int max = 0;
        for (Layer name : Layer.values()) {
            if (!layers.contains(name)) continue;
            int worth = points.points(result.kata(), name);
            LayerResult layer = result.layer(name);
            max += worth;
            if (layer == null) {
                graded.add(new LayerGrade(name, Status.NOT_RUN, 0, worth, 0, 0, 0));
                continue;
            }
            int earned = layer.passed() ? worth : 0;
            score += earned;
            int failed = (int) layer.checks().stream().filter(c -> !c.passed()).count();
            graded.add(new LayerGrade(name, layer.status(), earned, worth, layer.seconds(), layer.checks().size(), failed));
            for (Check c : layer.checks()) {
                checks.add(new Check(c.layer(), c.status(), c.name(), Checker.head(c.message(), MESSAGE_KEPT), c.title(), c.output()));
            }
        }
        return new KataGrade(result.kata(), task, result.verdict(), score, max, seconds, graded, checks);
    }

    static Grade of(List<KataGrade> katas, List<String> ignored, double seconds, String sandbox) {
        return new Grade(katas.stream().mapToInt(KataGrade::score).sum(), katas.stream().mapToInt(KataGrade::max).sum(),
                seconds, katas, ignored, sandbox);
    }

    /** One part of a merge: a grade.json, and the kata it was graded for (null: every kata in it). */
    record Part(String kata, Grade grade) {}

    /**
     * Parts of one submission (the katas of a CI job matrix) as one grade. Of each part only the
     * layer statuses of the kata it was graded for are taken (of every kata in it when it names
     * none), and only of katas of the trusted checkout ({@code all}); points, maxima, verdicts and
     * task numbers are computed again from the trusted {@code points}. A kata that two parts claim,
     * and a kata of {@code expected} that no part graded, is an error worth 0. So a part can lower
     * its own kata's grade at most: the total never exceeds the max.
     */
    static Grade merge(List<Part> parts, Points points, List<String> all, List<String> expected) {
        Map<String, KataGrade> katas = new LinkedHashMap<>();
        Map<String, String> problems = new LinkedHashMap<>();
        TreeSet<String> ignored = new TreeSet<>();
        TreeSet<String> sandboxes = new TreeSet<>();
        double seconds = 0;
        for (Part part : parts) {
            List<KataGrade> claimed = part.grade().katas().stream()
                    .filter(k -> part.kata() == null || k.name().equals(part.kata())).toList();
            if (part.kata() != null && claimed.isEmpty()) problems.put(part.kata(), "its part has no grade for it");
            for (KataGrade k : claimed) {
                if (!all.contains(k.name())) continue;
                if (katas.containsKey(k.name()) || problems.containsKey(k.name())) {
                    katas.remove(k.name());
                    problems.put(k.name(), "more than one part graded it");
                    continue;
                }
                katas.put(k.name(), rescore(k, points, all.indexOf(k.name()) + 1));
            }
            ignored.addAll(part.grade().ignored());
            if (!part.grade().sandbox().isEmpty()) sandboxes.add(part.grade().sandbox());
            seconds += part.grade().seconds();
        }
        for (String k : expected) if (!katas.containsKey(k) && !problems.containsKey(k)) problems.put(k, "its grading job did not finish");
        for (Map.Entry<String, String> p : problems.entrySet()) {
            if (!all.contains(p.getKey())) continue;
            List<LayerResult> layers = points.layers().stream().map(l -> LayerResult.broken(l, Status.ERROR,
                    "no grade for this kata: " + p.getValue(), 0, "")).toList();
            katas.put(p.getKey(), score(new KataResult(p.getKey(), "submission", layers), points, points.layers(),
                    all.indexOf(p.getKey()) + 1, 0));
        }
        List<KataGrade> sorted = new ArrayList<>(katas.values());
        sorted.sort(java.util.Comparator.comparingInt(KataGrade::task).thenComparing(KataGrade::name));
        return of(sorted, new ArrayList<>(ignored), seconds, String.join("; ", sandboxes));
    }

    /** A kata's grade from its layers' statuses alone, with the trusted points. */
    private static KataGrade rescore(KataGrade k, Points points, int task) {
        List<LayerGrade> layers = new ArrayList<>();
        int score = 0;
        int max = 0;
        Status verdict = Status.PASS;
        for (Layer name : points.layers()) {
            LayerGrade l = k.layers().stream().filter(x -> x.layer().equals(name)).findFirst()
                    .orElse(new LayerGrade(name, Status.NOT_RUN, 0, 0, 0, 0, 0));
            int worth = points.points(k.name(), name);
            int earned = l.status() == Status.PASS ? worth : 0;
            if (earned == 0 && verdict == Status.PASS) verdict = l.status() == Status.NOT_RUN ? Status.ERROR : l.status();
            layers.add(new LayerGrade(name, l.status(), earned, worth, l.seconds(), l.checks(), l.failed()));
            score += earned;
            max += worth;
        }
        return new KataGrade(k.name(), task, verdict, score, max, k.seconds(), layers, k.checks());
    }

    @JsonProperty
    Status verdict() {
        return katas.stream().allMatch(k -> k.verdict() == Status.PASS) ? Status.PASS : Status.FAIL;
    }

    /** A grade.json written by {@link Reports#write} (what it does not hold, such as the verdict, is computed again). */
    static Grade read(Path file) throws IOException {
        return Reports.JSON.readValue(file.toFile(), Grade.class);
    }
}
