package katas.checker;

import java.util.ArrayList;
import java.util.List;

/** How one implementation of one kata fared: one {@link LayerResult} per layer that ran. */
public record KataResult(String kata, String implementation, List<LayerResult> layers) {
    /** pass only when every layer passed; otherwise the status of the first layer that did not. */
    public Status verdict() {
        return layers.stream().filter(l -> !l.passed()).map(LayerResult::status).findFirst().orElse(Status.PASS);
    }

    public LayerResult layer(Layer layer) {
        return layers.stream().filter(l -> l.layer() == layer).findFirst().orElse(null);
    }

    double seconds() {
        return layers.stream().mapToDouble(LayerResult::seconds).sum();
    }

    /**
     * The kata's test checks in the order of the test files (class by class as they ran, methods
     * in the order they are written), as Exercism asks: the first failure shown is then the first
     * test a learner meets in the file.
     */
    public KataResult inSourceOrder(Kata kata) throws java.io.IOException {
        LayerResult tests = layer(Layer.TESTS);
        if (tests == null || tests.checks().size() < 2) return this;
        java.util.Map<String, String> sources = new java.util.HashMap<>();
        for (java.nio.file.Path f : Kata.javaFiles(kata.tests())) {
            sources.put(f.getFileName().toString().replaceAll("\\.java$", ""), java.nio.file.Files.readString(f, java.nio.charset.StandardCharsets.UTF_8));
        }
        List<String> classes = new ArrayList<>();
        java.util.Map<Check, long[]> keys = new java.util.HashMap<>();
        for (Check c : tests.checks()) {
            int dot = c.name().indexOf('.');
            String cls = dot < 0 ? c.name() : c.name().substring(0, dot);
            if (!classes.contains(cls)) classes.add(cls);
            String method = dot < 0 ? "" : c.name().substring(dot + 1).replaceAll("[(\\[].*$", "");
            String source = sources.get(cls.replaceAll("\\$.*$", ""));
            long at = Long.MAX_VALUE;
            if (source != null && !method.isEmpty()) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\bvoid\\s+" + java.util.regex.Pattern.quote(method) + "\\s*\\(").matcher(source);
                if (m.find()) at = m.start();
            }
            keys.put(c, new long[] {classes.indexOf(cls), at});
        }
        List<Check> order = new ArrayList<>(tests.checks());
        order.sort(java.util.Comparator.<Check>comparingLong(c -> keys.get(c)[0]).thenComparingLong(c -> keys.get(c)[1]));
        List<LayerResult> sorted = new ArrayList<>();
        for (LayerResult l : layers) {
            sorted.add(l == tests ? new LayerResult(l.layer(), l.status(), order, l.seconds(), l.output()) : l);
        }
        return new KataResult(kata(), implementation(), sorted);
    }
}
