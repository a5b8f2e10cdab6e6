package io.ocimirror.text;

import java.util.Locale;

/**
 * Byte counts as people read them in logs: {@code 512 B}, {@code 1.5 KiB}, {@code 27.3 MiB}, in binary units as
 * registries and {@code kubectl} show image sizes.
 */
public final class ReadableBytes {

    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB"};
    private static final long STEP = 1024;

    private ReadableBytes() {
    }

    /**
     * @param bytes a count of bytes, not negative
     * @return below 1 KiB the count with {@code B}; above, the largest binary unit under which it is at least 1,
     *     with one decimal
     */
    public static String format(long bytes) {
        if (bytes < STEP) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = -1;
        while (value >= STEP && unit < UNITS.length - 1) {
            value /= STEP;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
