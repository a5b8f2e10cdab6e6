package io.ocimirror.text;

/**
 * A string from outside (a Pod's field, a registry's answer or header) as it may appear in a log line, a warning or
 * an error: control characters (line breaks, escapes) replaced by {@code ?}, so it cannot forge lines or terminal
 * output, and cut to a bound, so a hostile value cannot flood what shows it.
 */
public final class ReadableInput {

    private ReadableInput() {
    }

    /**
     * @param value         any string
     * @param maxCodePoints how many code points to keep at most (a surrogate pair is never split)
     * @return the value with every ISO control character replaced by {@code ?}, followed by {@code ...} when cut
     */
    public static String of(String value, int maxCodePoints) {
        String printable = value.codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return printable.codePointCount(0, printable.length()) <= maxCodePoints
                ? printable
                : printable.substring(0, printable.offsetByCodePoints(0, maxCodePoints)) + "...";
    }
}
