package katas.ci;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * The grading configuration, from {@code ci/points.properties} of the trusted checkout: points
 * per layer (all or nothing) and time limits, with defaults so that a new kata needs no change.
 *
 * <pre>
 *   points.tests = 6            every kata's tests layer
 *   points.stress = 4           every kata's stress layer
 *   limit.tests = 60            seconds
 *   limit.stress = 120
 *   max.threads = 2000          threads a layer's JVMs may have at once
 *   kata.NAME.points.tests = 8  one kata's own value (any key above, after kata.NAME.)
 * </pre>
 *
 * A Java system property {@code katas.grade.KEY} overrides KEY (for the grader's own tests and for
 * experiments; not part of the command line). Two keys exist only that way: {@code layers}
 * (e.g. {@code tests}) and {@code jcstress.args} (e.g. {@code -m sanity}).
 */
final class Points {
    static final String FILE = "ci/points.properties";
    private static final String PREFIX = "katas.grade.";

    private final Properties properties;

    private Points(Properties properties) {
        this.properties = properties;
    }

    static Points load(Path root) {
        Properties p = new Properties();
        Path file = root.resolve(FILE);
        if (Files.isRegularFile(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith(PREFIX)) p.setProperty(name.substring(PREFIX.length()), System.getProperty(name));
        }
        return new Points(p);
    }

    /** These values, over the built-in defaults (no file, no system properties). */
    static Points of(Properties values) {
        Properties p = new Properties();
        p.putAll(values);
        return new Points(p);
    }

    private String value(String kata, String key, String fallback) {
        String v = kata == null ? null : properties.getProperty("kata." + kata + "." + key);
        if (v == null) v = properties.getProperty(key);
        return v == null ? fallback : v.strip();
    }

    int points(String kata, String layer) {
        return Integer.parseInt(value(kata, "points." + layer, layer.equals(Layer.TESTS) ? "6" : "4"));
    }

    Duration limit(String kata, String layer) {
        double seconds = Double.parseDouble(value(kata, "limit." + layer, layer.equals(Layer.TESTS) ? "60" : "120"));
        return Duration.ofMillis((long) (seconds * 1000));
    }

    int maxThreads(String kata) {
        return Integer.parseInt(value(kata, "max.threads", Integer.toString(Checker.Options.MAX_THREADS)));
    }

    /** The layers graded, tests and stress unless {@code katas.grade.layers} says otherwise. */
    Set<String> layers() {
        Set<String> layers = new LinkedHashSet<>();
        for (String l : value(null, "layers", "tests,stress").split(",")) {
            l = l.strip();
            if (l.equals(Layer.TESTS) || l.equals(Layer.STRESS)) layers.add(l);
            else if (!l.isEmpty()) throw new IllegalArgumentException("unknown layer '" + l + "' in katas.grade.layers");
        }
        return layers;
    }

    List<String> jcstressArgs() {
        String v = value(null, "jcstress.args", null);
        return v == null ? Checker.Options.QUICK_JCSTRESS : Arrays.asList(v.strip().split("\\s+"));
    }

    /**
     * The sandbox's limits for every layer: {@code limit.memory.mb}, {@code limit.files}, {@code limit.file.mb},
     * {@code limit.scratch.mb}, {@code limit.processes}.
     */
    Checker.Options base(Checker.Options options) {
        Sandbox.Limits d = options.limits();
        long mb = 1L << 20;
        return options.withSandbox(options.sandbox(), new Sandbox.Limits(
                Long.parseLong(value(null, "limit.memory.mb", Long.toString(d.memoryBytes() / mb))) * mb,
                Integer.parseInt(value(null, "limit.files", Integer.toString(d.openFiles()))),
                Long.parseLong(value(null, "limit.file.mb", Long.toString(d.fileBytes() / mb))) * mb,
                Long.parseLong(value(null, "limit.scratch.mb", Long.toString(d.scratchBytes() / mb))) * mb,
                Integer.parseInt(value(null, "limit.processes", Integer.toString(d.processes())))));
    }

    /** The options to check one kata with. */
    Checker.Options options(String kata, Checker.Options base) {
        return base.withLayers(layers())
                .withLimits(limit(kata, Layer.TESTS), limit(kata, Layer.STRESS))
                .withMaxThreads(maxThreads(kata))
                .withJcstressArgs(jcstressArgs())
                // Only the grader's fixtures that test the sandbox alone turn the API rules off.
                .withApiRules(!value(kata, "api.rules", "on").equals("off"));
    }
}
