package katas.ci;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The results a child JVM hands back to the checker ({@link TestRun}, {@link StressRun}),
 * signed so that the code under test, which runs in that JVM, cannot forge them.
 *
 * <p>The checker makes a fresh random key per run and writes it, with the path of the results
 * file, to the child's standard input. The child's trusted main reads both first thing, before
 * any class of the kata is loaded, keeps them in local variables only, and at the end writes its
 * records with an HMAC-SHA256 over them. The checker trusts a results file only when the HMAC
 * matches: a report written by the code under test (a fake "all tests passed", a results file
 * left by a {@code System.exit}) is not signed and counts for nothing.
 *
 * <p>Format: one line per record, each field Base64, fields separated by tabs; then a line
 * {@code END <count>}; then {@code SIG <hex HMAC of everything before>}.
 */
final class Signed {
    private Signed() {}

    /** What the child learns from its standard input: the key and where to write. */
    record Channel(byte[] key, Path file) {}

    /** Results that are present but not signed by this run's key: written by something else. */
    static final class ForgedException extends IOException {
        ForgedException(String message) {
            super(message);
        }
    }

    static byte[] newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /** What the checker writes to the child's standard input. */
    static byte[] stdin(byte[] key, Path file) {
        return (HexFormat.of().formatHex(key) + "\n" + file.toAbsolutePath() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * In the child, first thing: reads the key and the results path from standard input (straight
     * from the file descriptor, so no buffer keeps a copy), and leaves {@code System.in} empty.
     */
    static Channel readChannel() throws IOException {
        byte[] buffer = new byte[8192];
        int n = 0;
        InputStream in = new FileInputStream(FileDescriptor.in);
        for (int r; n < buffer.length && (r = in.read(buffer, n, buffer.length - n)) > 0; ) n += r;
        in.close();
        System.setIn(InputStream.nullInputStream());
        String[] lines = new String(buffer, 0, n, StandardCharsets.UTF_8).split("\n");
        Arrays.fill(buffer, (byte) 0);
        if (lines.length < 2) throw new IOException("no results channel on standard input");
        return new Channel(HexFormat.of().parseHex(lines[0].strip()), Path.of(lines[1].strip()));
    }

    static void write(Channel channel, List<List<String>> records) throws IOException {
        StringBuilder body = new StringBuilder();
        Base64.Encoder b64 = Base64.getEncoder();
        for (List<String> record : records) {
            List<String> fields = new ArrayList<>();
            for (String f : record) fields.add(b64.encodeToString((f == null ? "" : f).getBytes(StandardCharsets.UTF_8)));
            body.append(String.join("\t", fields)).append('\n');
        }
        body.append("END ").append(records.size()).append('\n');
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        String sig = "SIG " + HexFormat.of().formatHex(mac(channel.key(), bytes)) + "\n";
        byte[] all = concat(bytes, sig.getBytes(StandardCharsets.UTF_8));
        if (Files.exists(channel.file())) {
            Files.write(channel.file(), all, StandardOpenOption.WRITE); // the checker's FIFO (read-only mount: no create, no truncate)
        } else {
            Files.write(channel.file(), all, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        }
    }

    /**
     * The records of a results file, or null when there is none (the child died before writing it).
     * @throws ForgedException when the file is there but its signature does not match the key
     */
    static List<List<String>> read(Path file, byte[] key) throws IOException {
        try {
            return read(Files.readAllBytes(file), key);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * The records of what a results channel carried, or null when it carried nothing.
     * @throws ForgedException when something is there but its signature does not match the key
     */
    static List<List<String>> read(byte[] all, byte[] key) throws IOException {
        if (all == null) throw new ForgedException("the results channel carried more than it may");
        if (all.length == 0) return null;
        int sigAt = lastLineStart(all);
        String sigLine = new String(all, sigAt, all.length - sigAt, StandardCharsets.UTF_8).strip();
        if (!sigLine.startsWith("SIG ")) throw new ForgedException("the results file has no signature");
        byte[] body = Arrays.copyOf(all, sigAt);
        byte[] expected = mac(key, body);
        byte[] actual;
        try {
            actual = HexFormat.of().parseHex(sigLine.substring(4).strip());
        } catch (IllegalArgumentException e) {
            throw new ForgedException("the results file has a malformed signature");
        }
        if (!MessageDigest.isEqual(expected, actual)) throw new ForgedException("the results file's signature does not match");
        String[] lines = new String(body, StandardCharsets.UTF_8).split("\n");
        List<List<String>> records = new ArrayList<>();
        Base64.Decoder b64 = Base64.getDecoder();
        for (String line : lines) {
            if (line.startsWith("END ")) {
                if (Integer.parseInt(line.substring(4).strip()) != records.size()) throw new ForgedException("record count mismatch");
                return records;
            }
            List<String> fields = new ArrayList<>();
            for (String f : line.split("\t", -1)) fields.add(new String(b64.decode(f), StandardCharsets.UTF_8));
            records.add(fields);
        }
        throw new ForgedException("the results file has no END line");
    }

    private static int lastLineStart(byte[] all) {
        int end = all.length;
        while (end > 0 && all[end - 1] == '\n') end--;
        int i = end;
        while (i > 0 && all[i - 1] != '\n') i--;
        return i;
    }

    private static byte[] mac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
