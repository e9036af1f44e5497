package katas.runner;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
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
 * <p>Format: the {@link Results} as JSON (Jackson), a newline, then {@code SIG <hex HMAC-SHA256 of
 * the JSON>}. The JSON is read only after its signature matched.
 */
public final class Signed {
    private Signed() {}

    /** What the child learns from its standard input: the key and where to write. */
    public record Channel(byte[] key, Path file) {}

    /** Results that are present but not signed by this run's key: written by something else. */
    public static final class ForgedException extends IOException {
        ForgedException(String message) {
            super(message);
        }
    }

    public static byte[] newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /** What the checker writes to the child's standard input. */
    public static byte[] stdin(byte[] key, Path file) {
        return (HexFormat.of().formatHex(key) + "\n" + file.toAbsolutePath() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * In the child, first thing: reads the key and the results path from standard input (straight
     * from the file descriptor, so no buffer keeps a copy), and leaves {@code System.in} empty.
     */
    public static Channel readChannel() throws IOException {
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

    /** Both ends are this class: an unknown field is a bug, not a version difference. */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** In the child, last thing: the results as JSON, then the signature line. */
    public static void write(Channel channel, Results results) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(results);
        String sig = "\nSIG " + HexFormat.of().formatHex(mac(channel.key(), bytes)) + "\n";
        byte[] all = concat(bytes, sig.getBytes(StandardCharsets.UTF_8));
        if (Files.exists(channel.file())) {
            Files.write(channel.file(), all, StandardOpenOption.WRITE); // the checker's FIFO (read-only mount: no create, no truncate)
        } else {
            Files.write(channel.file(), all, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        }
    }

    /**
     * The results a channel carried, or null when it carried nothing (the child died first).
     * @throws ForgedException when something is there but its signature does not match the key
     */
    public static Results read(byte[] all, byte[] key) throws IOException {
        if (all == null) throw new ForgedException("the results channel carried more than it may");
        if (all.length == 0) return null;
        int sigAt = lastLineStart(all);
        String sigLine = new String(all, sigAt, all.length - sigAt, StandardCharsets.UTF_8).strip();
        if (!sigLine.startsWith("SIG ") || sigAt == 0) throw new ForgedException("the results have no signature");
        byte[] body = Arrays.copyOf(all, sigAt - 1); // without the newline before SIG
        byte[] actual;
        try {
            actual = HexFormat.of().parseHex(sigLine.substring(4).strip());
        } catch (IllegalArgumentException e) {
            throw new ForgedException("the results have a malformed signature");
        }
        if (!MessageDigest.isEqual(mac(key, body), actual)) throw new ForgedException("the results' signature does not match");
        return JSON.readValue(body, Results.class);
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
