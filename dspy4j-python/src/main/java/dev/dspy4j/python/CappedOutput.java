package dev.dspy4j.python;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A context's stdout or stderr: keeps at most {@code limit} bytes of the current run and notes
 * when the code printed more, so the watchdog can stop it. Reset before each run.
 */
final class CappedOutput extends OutputStream {

    private final int limit;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private volatile boolean exceeded;

    CappedOutput(int limit) {
        this.limit = limit;
    }

    @Override
    public synchronized void write(int b) {
        if (kept.size() < limit) {
            kept.write(b);
        } else {
            exceeded = true;
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        int room = limit - kept.size();
        kept.write(bytes, offset, Math.min(room, length));
        if (length > room) {
            exceeded = true;
        }
    }

    /** Whether the current run printed more than the limit. */
    boolean exceeded() {
        return exceeded;
    }

    synchronized void reset() {
        kept.reset();
        exceeded = false;
    }

    synchronized String text() {
        return kept.toString(StandardCharsets.UTF_8);
    }
}
