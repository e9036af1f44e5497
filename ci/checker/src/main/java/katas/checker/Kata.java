package katas.checker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * One kata and where its parts live, by the template (see CONTRIBUTING.md):
 * <pre>
 *   katas/NAME/src/main/java       the stub, which the learner edits
 *   katas/NAME/src/test/java       the tests (JUnit 5, Lincheck)
 *   stress/NAME/src/main/java      the jcstress harnesses
 *   reference/NAME/src/main/java   the reference solution (same class names as the stub)
 *   reference/NAME/naive/VARIANT/  a classic wrong answer: files that replace the reference's
 * </pre>
 */
public record Kata(String name, Path root) {
    /**
     * The katas of a checkout: every directory under katas/ that has a pom.xml, in learning order:
     * the order of the {@code <module>} lines of {@code katas/pom.xml} (the one place that defines
     * it), then any other kata by name.
     */
    public static List<Kata> all(Path root) {
        Path katas = root.resolve("katas");
        if (!Files.isDirectory(katas)) throw new IllegalArgumentException(root + " has no katas/ directory: not a concurrency-katas checkout");
        List<String> order = new ArrayList<>();
        try {
            if (Files.isRegularFile(katas.resolve("pom.xml"))) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>")
                        .matcher(Files.readString(katas.resolve("pom.xml")));
                while (m.find()) order.add(m.group(1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Stream<Path> dirs = Files.list(katas)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("pom.xml")))
                    .map(d -> new Kata(d.getFileName().toString(), root))
                    .sorted(java.util.Comparator.<Kata>comparingInt(k -> order.contains(k.name()) ? order.indexOf(k.name()) : order.size())
                            .thenComparing(Kata::name))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Kata named(Path root, String name) {
        List<Kata> all = all(root);
        return all.stream().filter(k -> k.name.equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown kata '" + name + "'; the katas are: "
                        + String.join(", ", all.stream().map(Kata::name).toList())));
    }

    public Path stub() { return root.resolve("katas").resolve(name).resolve("src/main/java"); }
    public Path tests() { return root.resolve("katas").resolve(name).resolve("src/test/java"); }
    public Path support() { return root.resolve("katas/support/src/main/java"); }
    /** The JUnit configuration of every kata's tests, for Maven, the IDE and the checker alike. */
    Path junitConfig() { return root.resolve("katas/support/src/test/resources/junit-platform.properties"); }
    public Path stress() { return root.resolve("stress").resolve(name).resolve("src/main/java"); }
    public Path reference() { return root.resolve("reference").resolve(name).resolve("src/main/java"); }

    /** The naive variants by name (directory names under reference/NAME/naive/). */
    public TreeMap<String, Path> naive() {
        TreeMap<String, Path> variants = new TreeMap<>();
        Path dir = root.resolve("reference").resolve(name).resolve("naive");
        if (!Files.isDirectory(dir)) return variants;
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(Files::isDirectory).forEach(d -> variants.put(d.getFileName().toString(), d));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return variants;
    }

    /** Source files the learner owns: paths relative to the stub directory. */
    List<Path> stubFiles() {
        return javaFiles(stub()).stream().map(stub()::relativize).toList();
    }

    public static List<Path> javaFiles(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> walk = Files.walk(dir)) {
            return new ArrayList<>(walk.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p)).sorted().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The implementation made of layers of source directories: the first layer's files by their
     * path; a later layer's file replaces an earlier file of the same name (a naive variant is
     * the reference with its files swapped in), or is added when there is none.
     */
    public static List<Path> overlay(List<Path> layers) {
        TreeMap<String, Path> byPath = new TreeMap<>();
        for (int i = 0; i < layers.size(); i++) {
            Path layer = layers.get(i);
            for (Path f : javaFiles(layer)) {
                String key = layer.relativize(f).toString();
                if (i > 0) {
                    String name = f.getFileName().toString();
                    key = byPath.keySet().stream().filter(k -> Path.of(k).getFileName().toString().equals(name))
                            .findFirst().orElse(key);
                }
                byPath.put(key, f);
            }
        }
        return new ArrayList<>(byPath.values());
    }

    /**
     * The packages (as directories, e.g. {@code kata/counter}) the kata's code may declare classes
     * in: those of the stub, and their subpackages. Code elsewhere (a class of JUnit's, of jcstress's,
     * of the tests') would shadow trusted code, so the checker refuses it.
     */
    List<String> packageDirs() {
        TreeSet<String> dirs = new TreeSet<>();
        for (Path f : stubFiles()) {
            Path parent = f.getParent();
            if (parent != null) dirs.add(parent.toString().replace('\\', '/'));
        }
        if (dirs.isEmpty()) dirs.add("kata/" + name.replace("-", "").replace("_", ""));
        return new ArrayList<>(dirs);
    }
}
