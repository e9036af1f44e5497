package katas.checker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The wall around a layer's processes: <a href="https://github.com/containers/bubblewrap">bubblewrap</a>
 * ({@code bwrap}), the unprivileged sandbox of Flatpak, packaged by Debian and Ubuntu, plus
 * {@code prlimit} (util-linux) for resource limits.
 *
 * <p>Inside, a layer's JVM (and everything it starts) sees a file system made of: the system's
 * {@code /usr}, {@code /etc} and library directories, the JDK and each library jar of the class
 * path, read-only; the compiled classes of this layer, read-only; the directory of its results
 * channel (a FIFO), read-only; and a private {@code /tmp} of bounded size, its only writable
 * place, gone when the layer ends. The trusted checkout, {@code reference/}, {@code .git}, the
 * Maven repository's other files, the grader's reports and the home directory are not there at
 * all. It has its own PID namespace (when the layer's JVM ends or is killed, the kernel kills
 * every process left in it: {@code setsid}, double forks and {@code cd /} included), its own
 * network namespace (loopback only), no capabilities, and limits on address space (native memory
 * included), open files and file size.
 *
 * <p>Where bubblewrap is missing or cannot make namespaces (a container without user namespaces,
 * an Ubuntu runner that restricts them), {@link #active()} is false, the layer runs with the
 * resource limits only, and the grader says {@code sandbox: none} in every report.
 */
public final class Sandbox {
    /** Per-process limits. {@code scratchBytes} bounds the private /tmp (the only writable place). */
    record Limits(long memoryBytes, int openFiles, long fileBytes, long scratchBytes, int processes) {}

    private static final Sandbox DETECTED = detect();

    private final String bwrap;
    private final String prlimit;
    private final String description;

    private Sandbox(String bwrap, String prlimit, String description) {
        this.bwrap = bwrap;
        this.prlimit = prlimit;
        this.description = description;
    }

    /** The sandbox of this machine, probed once. */
    static Sandbox get() {
        return DETECTED;
    }

    /** A sandbox that is never used (for the grader's tests of the fallback). */
    static Sandbox none(String why) {
        return new Sandbox(null, DETECTED.prlimit, "none (" + why + ")");
    }

    boolean active() {
        return bwrap != null;
    }

    /** "bubblewrap 0.8.0 (...)" or "none (why)": what the reports say. */
    public String description() {
        return description;
    }

    /** Where the layer's JVM finds its writable scratch space ({@code host} when there is no sandbox). */
    Path scratch(Path host) {
        return active() ? Path.of("/tmp") : host;
    }

    /**
     * The command that runs {@code command} inside the sandbox, seeing only {@code readOnly} (files
     * or directories, at the same paths) besides the system, with its writable scratch space and
     * working directory in its private /tmp. Without a sandbox, only the resource limits apply
     * (the caller then gives the process a scratch directory of the host's: {@link #scratch}).
     */
    List<String> wrap(List<String> command, Set<Path> readOnly, Limits limits) {
        List<String> full = new ArrayList<>();
        if (prlimit != null) {
            full.addAll(List.of(prlimit, "--as=" + limits.memoryBytes(), "--nofile=" + limits.openFiles(),
                    "--fsize=" + limits.fileBytes(), "--nproc=" + limits.processes(), "--core=0", "--"));
        }
        if (active()) {
            full.addAll(List.of(bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
                    "--proc", "/proc", "--dev", "/dev"));
            for (String dir : List.of("/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")) {
                Path p = Path.of(dir);
                if (Files.isSymbolicLink(p)) {
                    try {
                        full.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), dir));
                    } catch (IOException e) {
                        // unreadable link: leave it out
                    }
                } else if (Files.isDirectory(p)) {
                    full.addAll(List.of("--ro-bind", dir, dir));
                }
            }
            // The private /tmp first: the read-only binds below may lie under the host's /tmp.
            full.addAll(List.of("--size", Long.toString(limits.scratchBytes()), "--tmpfs", "/tmp"));
            Set<Path> binds = new LinkedHashSet<>();
            binds.add(Path.of(System.getProperty("java.home")));
            binds.addAll(readOnly);
            for (Path p : binds) {
                if (p.startsWith("/usr/") || p.startsWith("/etc/") || !Files.exists(p)) continue;
                full.addAll(List.of("--ro-bind", p.toString(), p.toString()));
            }
            full.addAll(List.of("--chdir", "/tmp", "--setenv", "TMPDIR", "/tmp", "--setenv", "HOME", "/tmp", "--"));
        }
        full.addAll(command);
        return full;
    }

    private static Sandbox detect() {
        String prlimit = which("prlimit");
        String bwrap = which("bwrap");
        if (bwrap == null) return new Sandbox(null, prlimit, "none (bubblewrap is not installed: apt-get install bubblewrap)");
        List<String> probe = List.of(bwrap, "--unshare-all", "--die-with-parent", "--cap-drop", "ALL",
                "--ro-bind", "/", "/", "--proc", "/proc", "--", "true");
        try {
            Process p = new ProcessBuilder(probe).redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Sandbox(null, prlimit, "none (bwrap did not start within 20 s)");
            }
            if (p.exitValue() != 0) {
                return new Sandbox(null, prlimit, "none (bwrap cannot make namespaces here: " + Checker.head(said, 200)
                        + "; on Ubuntu 24.04 run the grader with sudo or set kernel.apparmor_restrict_unprivileged_userns=0)");
            }
            Process v = new ProcessBuilder(bwrap, "--version").redirectErrorStream(true).start();
            String version = new String(v.getInputStream().readAllBytes()).strip();
            v.waitFor(10, TimeUnit.SECONDS);
            return new Sandbox(bwrap, prlimit, version + ": PID, network, IPC, user namespaces; read-only system;"
                    + " private /tmp; no capabilities");
        } catch (IOException e) {
            return new Sandbox(null, prlimit, "none (bwrap failed to run: " + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Sandbox(null, prlimit, "none (interrupted while probing bwrap)");
        }
    }

    private static String which(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }
}
