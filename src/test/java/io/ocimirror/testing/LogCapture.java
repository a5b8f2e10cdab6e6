package io.ocimirror.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Collects every record logged through the root logger, formatted and with its stack trace, for assertions. */
public final class LogCapture extends Handler {

    private final Formatter formatter = new SimpleFormatter();
    private final List<String> records = new ArrayList<>();
    private final List<Level> levels = new ArrayList<>();

    private LogCapture() {
    }

    public static LogCapture install() {
        LogCapture capture = new LogCapture();
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    @Override
    public synchronized void publish(LogRecord record) {
        StringWriter text = new StringWriter();
        text.append(formatter.formatMessage(record));
        if (record.getThrown() != null) {
            record.getThrown().printStackTrace(new PrintWriter(text));
        }
        records.add(text.toString());
        levels.add(record.getLevel());
    }

    /** The records logged at {@code level} or above (JBoss ERROR is {@link Level#SEVERE}). */
    public synchronized List<String> atLeast(Level level) {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            if (levels.get(i).intValue() >= level.intValue()) {
                found.add(records.get(i));
            }
        }
        return found;
    }

    public synchronized int size() {
        return records.size();
    }

    public synchronized List<String> containing(String text) {
        return records.stream().filter(record -> record.contains(text)).toList();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
