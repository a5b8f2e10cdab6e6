package io.ocimirror.text;

import java.time.Duration;

/**
 * Durations as people write them in configuration and read them in logs: {@code 1m}, {@code 1h30m}, {@code 2.5s},
 * {@code 250ms}, rather than {@link Duration#toString()}'s ISO-8601 {@code PT1M}. The units are those of the
 * settings ({@code 10m}, {@code 24h}) and of Go's {@code time.Duration}: hours are the largest unit.
 */
public final class ReadableDuration {

    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final long MILLIS_PER_SECOND = 1_000L;

    private ReadableDuration() {
    }

    /**
     * @param duration any duration; a negative one gets a leading {@code -}
     * @return hours, minutes and seconds with the units {@code h}, {@code m}, {@code s}, each only when not zero,
     *     seconds with up to three decimals ({@code 1.5s}); below one second whole milliseconds ({@code 250ms}),
     *     below one millisecond microseconds ({@code 50us}); zero is {@code 0s}
     */
    public static String format(Duration duration) {
        if (duration.isNegative()) {
            return "-" + format(duration.negated());
        }
        if (duration.isZero()) {
            return "0s";
        }
        if (duration.compareTo(Duration.ofMillis(1)) < 0) {
            return duration.toNanos() / 1_000 + "us";
        }
        if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
            return duration.toMillis() + "ms";
        }
        StringBuilder text = new StringBuilder();
        long hours = duration.toHours();
        int minutes = duration.toMinutesPart();
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (minutes > 0) {
            text.append(minutes).append('m');
        }
        long millis = duration.toSecondsPart() * MILLIS_PER_SECOND + duration.toNanosPart() / NANOS_PER_MILLI;
        if (millis > 0) {
            text.append(seconds(millis)).append('s');
        }
        return text.toString();
    }

    /** Whole seconds, or seconds with the decimals the milliseconds need ({@code 1.5}, {@code 1.25}). */
    private static String seconds(long millis) {
        long whole = millis / MILLIS_PER_SECOND;
        long fraction = millis % MILLIS_PER_SECOND;
        if (fraction == 0) {
            return Long.toString(whole);
        }
        String decimals = String.format("%03d", fraction).replaceFirst("0+$", "");
        return whole + "." + decimals;
    }
}
