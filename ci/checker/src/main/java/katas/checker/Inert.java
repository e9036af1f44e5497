package katas.checker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Text from graded code made harmless before it reaches a terminal, a CI log or a Markdown page:
 * control characters (ESC, NUL, BEL, CR...) become visible escapes (backslash, u, four hex digits), and a line
 * can never be read as a GitHub Actions workflow command ({@code ::error ...}, {@code ::add-mask::},
 * {@code ::stop-commands::}, or the old {@code ##[...]} form).
 */
public final class Inert {
    private Inert() {}

    /** {@code s} with every control character but newline and tab written as a visible escape (backslash, u, four hex digits). */
    public static String text(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
            if (control) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.toString();
    }

    /** One line (no newline in it) that no CI runner takes for a command. */
    static String line(String line) {
        String s = text(line).replace("##[", "# #[");
        return s.stripLeading().startsWith("::") ? "> " + s : s;
    }

    /** Every line of {@code s} made inert (see {@link #line}). */
    public static String lines(String s) {
        StringBuilder b = new StringBuilder(s.length());
        int from = 0;
        for (int nl; (nl = s.indexOf('\n', from)) >= 0; from = nl + 1) b.append(line(s.substring(from, nl))).append('\n');
        return b.append(line(s.substring(from))).toString();
    }

    /** A stream that writes what it is given to {@code out} line by line, each line made inert. */
    public static PrintStream stream(OutputStream out) {
        return new PrintStream(new Lines(out), true, StandardCharsets.UTF_8);
    }

    private static final class Lines extends OutputStream {
        private final OutputStream out;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        Lines(OutputStream out) {
            this.out = out;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            if (b == '\n') {
                emit(true);
            } else {
                line.write(b);
                if (line.size() > 64 * 1024) emit(false);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) write(b[i]);
        }

        private void emit(boolean newline) throws IOException {
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            out.write(line(text).getBytes(StandardCharsets.UTF_8));
            if (newline) out.write('\n');
        }

        @Override
        public synchronized void flush() throws IOException {
            out.flush();
        }

        @Override
        public synchronized void close() throws IOException {
            if (line.size() > 0) emit(false);
            out.flush();
        }
    }
}
