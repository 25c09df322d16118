package dev.dspy4j.provider.http;

import dev.dspy4j.internal.http.BoundedBody;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A minimal Server-Sent Events parser: {@code event:} and {@code data:} fields, comments
 * ({@code :}-lines) skipped, an event dispatched at each blank line. Lines end in LF, CRLF or CR.
 * An event left without its blank line at the end of the stream is still dispatched, so that the
 * caller can decide whether the stream was complete.
 *
 * <p>Reads at most a given number of bytes in all, so no line or event can exhaust memory.
 *
 * <p>Not thread-safe; one reader per stream.
 */
final class SseReader {

    /** One event: its type ({@code null} when unnamed) and its data lines joined by LF. */
    record Event(@Nullable String type, String data) {
    }

    private final InputStream in;
    private final long maxBytes;
    private long total;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;
    private boolean eof;
    private boolean skipLf;
    private byte[] line = new byte[256];
    private int lineLength;

    /** A reader of {@code in} that fails with {@link BoundedBody.TooLarge} past {@code maxBytes} in all. */
    SseReader(InputStream in, long maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** The next event, or {@code null} at the end of the stream. */
    @Nullable Event next() throws IOException {
        String type = null;
        StringBuilder data = null;
        while (true) {
            String text = readLine();
            if (text == null) {
                return data == null ? null : new Event(type, data.toString());
            }
            if (text.isEmpty()) {
                if (data != null) {
                    return new Event(type, data.toString());
                }
                type = null; // an event without data is ignored, as the spec says
                continue;
            }
            if (text.charAt(0) == ':') {
                continue;
            }
            int colon = text.indexOf(':');
            String field = colon < 0 ? text : text.substring(0, colon);
            String value = colon < 0 ? "" : text.substring(colon + 1);
            if (!value.isEmpty() && value.charAt(0) == ' ') {
                value = value.substring(1);
            }
            if (field.equals("data")) {
                if (data == null) {
                    data = new StringBuilder(value.length());
                } else {
                    data.append('\n');
                }
                data.append(value);
            } else if (field.equals("event")) {
                type = value;
            }
            // id: and retry: do not matter for one-shot completions
        }
    }

    private @Nullable String readLine() throws IOException {
        lineLength = 0;
        while (true) {
            if (position == limit) {
                if (eof || !fill()) {
                    return lineLength == 0 ? null : decodeLine();
                }
            }
            byte b = buffer[position++];
            if (skipLf) {
                skipLf = false;
                if (b == '\n') {
                    continue;
                }
            }
            if (b == '\n') {
                return decodeLine();
            }
            if (b == '\r') {
                skipLf = true;
                return decodeLine();
            }
            if (lineLength == line.length) {
                line = Arrays.copyOf(line, line.length * 2);
            }
            line[lineLength++] = b;
        }
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n < 0) {
            eof = true;
            return false;
        }
        total += n;
        if (total > maxBytes) {
            // bounds every line and event too: the stream is dropped, not read to its end
            throw new BoundedBody.TooLarge(maxBytes);
        }
        position = 0;
        limit = n;
        return true;
    }

    private String decodeLine() {
        return new String(line, 0, lineLength, StandardCharsets.UTF_8);
    }
}
