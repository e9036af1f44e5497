package katas.checker;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** javac, in process. Sources are compiled without annotation processors unless some are given. */
final class Javac {
    private Javac() {}

    /** {@code ok}, or the errors as javac prints them (file:line: message, the line, a caret). */
    record Result(boolean ok, String errors) {}

    /** How long javac may take on code it is given; a pathological source gets a compile error, not a hang. */
    static final long LIMIT_SECONDS = 120;

    /**
     * Compiles in a thread of its own with a large stack and a time limit, so that code that
     * makes javac overflow its stack or run away is a compile error, not a crash of the checker.
     */
    static Result compile(Collection<Path> sources, String classpath, Path out, String processorPath) throws IOException {
        Result[] result = new Result[1];
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(null, () -> {
            try {
                result[0] = compileHere(sources, classpath, out, processorPath);
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "javac", 512L << 20);
        t.setDaemon(true);
        t.start();
        try {
            t.join(LIMIT_SECONDS * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while compiling", e);
        }
        if (t.isAlive()) return new Result(false, "javac did not finish within " + LIMIT_SECONDS + " s on this code");
        if (failure[0] instanceof IOException io) throw io;
        if (failure[0] instanceof StackOverflowError || failure[0] instanceof OutOfMemoryError) {
            return new Result(false, "javac gave up on this code: " + failure[0]);
        }
        if (failure[0] != null) return new Result(false, "javac crashed on this code: " + failure[0]);
        return result[0];
    }

    private static Result compileHere(Collection<Path> sources, String classpath, Path out, String processorPath) throws IOException {
        Files.createDirectories(out);
        if (sources.isEmpty()) return new Result(false, "no .java files to compile");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) throw new IllegalStateException("no Java compiler: run with a JDK, not a JRE");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = new ArrayList<>(List.of(
                "--release", "17", "-encoding", "UTF-8", "-nowarn", "-Xlint:none", "-d", out.toString(),
                "-cp", classpath.isEmpty() ? out.toString() : classpath));
        if (processorPath == null) {
            options.add("-proc:none");
        } else {
            options.addAll(List.of("-processorpath", processorPath));
        }
        StringWriter log = new StringWriter();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            boolean ok = javac.getTask(log, files, diagnostics, options, null,
                    files.getJavaFileObjectsFromPaths(sources)).call();
            StringBuilder errors = new StringBuilder();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() != Diagnostic.Kind.ERROR) continue;
                String file = d.getSource() == null ? "" : Path.of(d.getSource().toUri()).getFileName().toString();
                errors.append(file).append(':').append(d.getLineNumber()).append(": error: ")
                      .append(d.getMessage(Locale.ROOT)).append('\n');
            }
            if (!ok && errors.isEmpty()) errors.append(log);
            return new Result(ok, errors.toString());
        }
    }
}
