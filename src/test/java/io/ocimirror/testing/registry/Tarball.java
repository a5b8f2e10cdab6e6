package io.ocimirror.testing.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Deterministic tar archives (POSIX ustar, regular files, mtime 0) and gzip, for layers with real digests. */
final class Tarball {

    private static final int BLOCK = 512;

    private Tarball() {
    }

    /** A tar of these regular files, in iteration order, mode 0644, owner 0, mtime 0. */
    static byte[] tar(Map<String, byte[]> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            out.writeBytes(header(file.getKey(), file.getValue().length));
            out.writeBytes(file.getValue());
            out.writeBytes(new byte[padding(file.getValue().length)]);
        }
        out.writeBytes(new byte[2 * BLOCK]);
        return out.toByteArray();
    }

    /** gzip with the JDK's fixed header (mtime 0), so the same input gives the same bytes. */
    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip to memory failed", e);
        }
        return out.toByteArray();
    }

    private static int padding(int size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    /** A ustar header block (POSIX.1-1988): fields are NUL-terminated octal; the checksum counts itself as spaces. */
    private static byte[] header(String name, int size) {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length > 100) {
            throw new IllegalArgumentException("tar name longer than 100 bytes: " + name);
        }
        byte[] header = new byte[BLOCK];
        put(header, 0, nameBytes);
        put(header, 100, octal(0644, 8));
        put(header, 108, octal(0, 8));
        put(header, 116, octal(0, 8));
        put(header, 124, octal(size, 12));
        put(header, 136, octal(0, 12));
        put(header, 148, "        ".getBytes(StandardCharsets.US_ASCII));
        header[156] = '0';
        put(header, 257, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(header, 263, "00".getBytes(StandardCharsets.US_ASCII));
        put(header, 265, "root".getBytes(StandardCharsets.US_ASCII));
        put(header, 297, "root".getBytes(StandardCharsets.US_ASCII));
        int checksum = 0;
        for (byte b : header) {
            checksum += b & 0xff;
        }
        put(header, 148, String.format("%06o\0 ", checksum).getBytes(StandardCharsets.US_ASCII));
        return header;
    }

    /** {@code value} in octal, zero-padded to {@code width - 1} digits and NUL-terminated. */
    private static byte[] octal(long value, int width) {
        String digits = Long.toOctalString(value);
        return ("0".repeat(width - 1 - digits.length()) + digits + "\0").getBytes(StandardCharsets.US_ASCII);
    }

    private static void put(byte[] target, int offset, byte[] source) {
        System.arraycopy(source, 0, target, offset, source.length);
    }
}
