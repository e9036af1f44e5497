package katas.checker;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
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
public final class Points {
    public static final String FILE = "ci/points.properties";
    private static final String PREFIX = "katas.grade.";

    private final Properties properties;

    private Points(Properties properties) {
        this.properties = properties;
    }

    /** The trusted checkout's ci/points.properties, then any {@code katas.grade.KEY} system property over it. */
    public static Points load(Path root) {
        Properties p = new Properties();
        Path file = root.resolve(FILE);
        if (!Files.isRegularFile(file)) throw new IllegalStateException("no " + FILE + " in " + root + ": it holds every setting of the checker");
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith(PREFIX)) p.setProperty(name.substring(PREFIX.length()), System.getProperty(name));
        }
        return new Points(p);
    }

    /** These values over this file's. */
    public Points with(Properties values) {
        Properties p = new Properties();
        p.putAll(properties);
        p.putAll(values);
        return new Points(p);
    }

    /** A kata's own value ({@code kata.NAME.KEY}), else the value for every kata; the file must have it. */
    private String value(String kata, String key) {
        String v = kata == null ? null : properties.getProperty("kata." + kata + "." + key);
        if (v == null) v = properties.getProperty(key);
        if (v == null) throw new IllegalStateException(FILE + " has no value for '" + key + "'");
        return v.strip();
    }

    /**
     * The checker's options before any kata's own values, all from the file: layers, time limits
     * (the grader's, or with {@code proving} the kill matrix's {@code prove.limit.*}), output cap,
     * thread cap, jcstress arguments, the sandbox and its limits.
     */
    public Checker.Options defaults(PrintStream progress, boolean proving) {
        String limits = proving ? "prove.limit." : "limit.";
        long mb = 1L << 20;
        Sandbox.Limits sandbox = new Sandbox.Limits(
                Long.parseLong(value(null, "limit.memory.mb")) * mb,
                Integer.parseInt(value(null, "limit.files")),
                Long.parseLong(value(null, "limit.file.mb")) * mb,
                Long.parseLong(value(null, "limit.scratch.mb")) * mb,
                Integer.parseInt(value(null, "limit.processes")));
        return new Checker.Options(layers(), seconds(value(null, limits + Layer.TESTS)), seconds(value(null, limits + Layer.STRESS)),
                Integer.parseInt(value(null, "output.cap.bytes")), jcstressArgs(), progress, null,
                Integer.parseInt(value(null, "max.threads")), null, Sandbox.get(), sandbox, true);
    }

    private static Duration seconds(String value) {
        return Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
    }

    public int points(String kata, Layer layer) {
        return Integer.parseInt(value(kata, "points." + layer));
    }

    Duration limit(String kata, Layer layer) {
        return seconds(value(kata, "limit." + layer));
    }

    int maxThreads(String kata) {
        return Integer.parseInt(value(kata, "max.threads"));
    }

    /** The layers graded (the key {@code layers}). */
    public Set<Layer> layers() {
        Set<Layer> layers = EnumSet.noneOf(Layer.class);
        for (String l : value(null, "layers").split(",")) {
            if (l.isBlank()) continue;
            try {
                layers.add(Layer.named(l.strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layers in points.properties: " + e.getMessage(), e);
            }
        }
        return layers;
    }

    List<String> jcstressArgs() {
        return Arrays.asList(value(null, "jcstress.args").split("\\s+"));
    }

    /** The options to check one kata with. */
    public Checker.Options options(String kata, Checker.Options base) {
        return new Checker.Options(layers(), limit(kata, Layer.TESTS), limit(kata, Layer.STRESS), base.outputCap(), jcstressArgs(),
                base.progress(), base.echo(), maxThreads(kata), base.tmp(), base.sandbox(), base.limits(),
                // Only the grader's fixtures that test the sandbox alone turn the API rules off.
                !value(kata, "api.rules").equals("off"));
    }
}
