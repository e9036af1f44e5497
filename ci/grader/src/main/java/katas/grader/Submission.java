package katas.grader;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import katas.checker.Kata;

/**
 * What the grader takes from a submission: a copy, made before anything runs, of each graded
 * kata's source files ({@code katas/NAME/src/main/java/**.java}, regular files only); and the
 * list of the other files the submission changed or added, which are ignored (the tests,
 * harnesses, build files and the grader all come from the trusted checkout).
 */
final class Submission {
    /** Bounds on what one kata's sources may be. */
    static final int MAX_FILES = 200;
    static final long MAX_BYTES = 1 << 20;
    /** How many ignored paths are listed at most. */
    static final int MAX_IGNORED = 500;

    /** Where the copy of each kata's sources is, and what was wrong with them (empty: nothing). */
    record Sources(Path dir, String problem) {}

    private final Map<String, Sources> sources = new LinkedHashMap<>();
    private final List<String> ignored = new ArrayList<>();

    private Submission() {}

    Sources sources(String kata) {
        return sources.get(kata);
    }

    List<String> ignored() {
        return ignored;
    }

    /** Checks that {@code dir} is a copy of this repository; throws IllegalArgumentException (a usage error) if not. */
    static Path validate(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        if (!Files.exists(d)) throw new IllegalArgumentException("no such directory: " + dir);
        if (!Files.isDirectory(d)) throw new IllegalArgumentException("not a directory: " + dir);
        if (!Files.isDirectory(d.resolve("katas"), LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException(dir + " is not a copy of the concurrency-katas repository (it has no katas/ directory)");
        }
        return d;
    }

    /**
     * Copies the sources of {@code graded} katas from {@code root} into {@code copy}, and lists
     * the files outside the katas' sources that differ from {@code trusted} or are new.
     * {@code skip} (may be null) is left out of the comparison (the report directory).
     */
    static Submission take(Path root, Path trusted, List<Kata> all, List<Kata> graded, Path copy, Path skip) throws IOException {
        Submission s = new Submission();
        for (Kata kata : graded) s.sources.put(kata.name(), copy(root, kata.name(), copy.resolve(kata.name())));
        s.compare(root, trusted, all.stream().map(Kata::name).toList(), skip);
        return s;
    }

    private static Sources copy(Path root, String kata, Path to) throws IOException {
        Files.createDirectories(to);
        Path rel = Path.of("katas", kata, "src", "main", "java");
        Path from = root;
        for (Path part : rel) {
            from = from.resolve(part);
            if (Files.isSymbolicLink(from)) return new Sources(to, "refused: " + rel + " goes through a symbolic link (" + root.relativize(from) + ")");
            if (!Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) return new Sources(to, "no source files: the submission has no " + rel);
        }
        List<String> problems = new ArrayList<>();
        long[] size = new long[2];
        Path base = from;
        Files.walkFileTree(base, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String name = rel.resolve(base.relativize(file)).toString();
                if (!attrs.isSymbolicLink() && !file.getFileName().toString().endsWith(".java")) return FileVisitResult.CONTINUE;
                if (attrs.isSymbolicLink()) {
                    problems.add("refused: " + name + " is a symbolic link (submit the file itself)");
                } else if (attrs.isRegularFile()) {
                    size[0]++;
                    size[1] += attrs.size();
                    if (size[0] > MAX_FILES || size[1] > MAX_BYTES) return FileVisitResult.TERMINATE;
                    Path target = to.resolve(base.relativize(file).toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(file, target);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        if (size[0] == 0 && problems.isEmpty()) problems.add("no source files: the submission has no .java file in " + rel);
        if (size[0] > MAX_FILES || size[1] > MAX_BYTES) {
            problems.add("refused: more than " + MAX_FILES + " files or " + (MAX_BYTES >> 10) + " KiB of sources in " + rel);
        }
        return new Sources(to, String.join("\n", problems));
    }

    private void compare(Path root, Path trusted, List<String> katas, Path skip) throws IOException {
        Set<String> skipped = Set.of("target", ".git");
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(root) && (skipped.contains(dir.getFileName().toString()) || dir.equals(skip)
                        || root.relativize(dir).toString().equals("grade-report"))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String rel = root.relativize(file).toString().replace('\\', '/');
                if (isKataSource(rel, katas)) return FileVisitResult.CONTINUE;
                Path other = trusted.resolve(rel);
                boolean same = attrs.isRegularFile() && Files.isRegularFile(other, LinkOption.NOFOLLOW_LINKS)
                        && Files.size(other) == attrs.size() && Arrays.equals(Files.readAllBytes(file), Files.readAllBytes(other));
                if (!same) {
                    if (ignored.size() >= MAX_IGNORED) return FileVisitResult.TERMINATE;
                    ignored.add(rel);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        ignored.sort(null);
    }

    /** katas/NAME/src/main/java/...java of a kata of the trusted checkout: the learner's to edit. */
    static boolean isKataSource(String rel, List<String> katas) {
        String[] parts = rel.split("/");
        return parts.length > 5 && parts[0].equals("katas") && katas.contains(parts[1]) && parts[2].equals("src")
                && parts[3].equals("main") && parts[4].equals("java") && rel.endsWith(".java");
    }
}
