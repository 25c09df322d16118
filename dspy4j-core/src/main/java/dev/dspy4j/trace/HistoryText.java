package dev.dspy4j.trace;

import dev.dspy4j.lm.ContentPart;
import dev.dspy4j.lm.Message;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Renders history entries exactly as DSPy 3.3's {@code inspect_history} prints them. DSPy builds
 * its output from Python {@code print} calls, each adding a newline after what the color helpers
 * already end with; the blank lines below come from there.
 */
final class HistoryText {

    private static final String BLUE = "\u001b[34m";
    private static final String RED = "\u001b[31m";
    private static final String GREEN = "\u001b[32m";
    private static final String RESET = "\u001b[0m";
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    private HistoryText() {}

    static String render(List<LmCall> calls, boolean color) {
        StringBuilder out = new StringBuilder(1024);
        for (LmCall call : calls) {
            out.append("\n\n\n\n");
            colored(out, BLUE, "[" + pythonIsoFormat(call.timestamp().toLocalDateTime()) + "]", color).append("\n\n");
            for (Message message : call.messages()) {
                colored(out, RED, capitalize(message.role().wireName()) + " message:", color).append("\n\n");
                if (message.isTextOnly() && message.content().size() <= 1) {
                    out.append(message.text().strip()).append('\n');
                } else {
                    for (ContentPart part : message.content()) {
                        renderPart(out, part, color);
                    }
                }
                out.append("\n\n");
            }
            colored(out, RED, "Response:", color).append("\n\n");
            colored(out, GREEN, call.text().strip(), color).append("\n\n");
            if (call.outputs().size() > 1) {
                colored(out, RED, " \t (and " + (call.outputs().size() - 1) + " other completions)", color)
                        .append('\n');
            }
        }
        out.append("\n\n\n\n");
        return out.toString();
    }

    /** A content part as DSPy prints it: text stripped, media as a short blue tag without the data. */
    private static void renderPart(StringBuilder out, ContentPart part, boolean color) {
        switch (part) {
            case ContentPart.Text text -> out.append(text.text().strip()).append('\n');
            case ContentPart.Image image -> {
                String url = image.url();
                int base64 = url.indexOf("base64,");
                String tag = base64 >= 0
                        ? "<" + url.substring(0, base64) + "base64,<IMAGE BASE 64 ENCODED("
                                + (url.length() - base64 - 7) + ")>"
                        : "<image_url: " + url + ">";
                colored(out, BLUE, tag.strip(), color).append("\n\n");
            }
            case ContentPart.Audio audio -> colored(out, BLUE, "<audio format='" + audio.format()
                    + "' base64-encoded, length=" + audio.base64Data().length() + ">", color).append("\n\n");
            case ContentPart.File file -> colored(out, BLUE, "<file: name:" + nullToEmpty(file.filename())
                    + ", id:" + nullToEmpty(file.fileId()) + ", data_length:"
                    + (file.dataUri() == null ? 0 : file.dataUri().length()) + ">", color).append("\n\n");
            case ContentPart.Document document -> {
                // DSPy 3.3.1's inspect_history prints nothing for a document block; neither do we
            }
        }
    }

    private static String nullToEmpty(@Nullable String text) {
        return text == null ? "" : text;
    }

    private static StringBuilder colored(StringBuilder out, String code, String text, boolean color) {
        return color ? out.append(code).append(text).append(RESET) : out.append(text);
    }

    /** Python's {@code str.capitalize()} for ASCII role names. */
    private static String capitalize(String word) {
        return word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    /** Python's {@code datetime.isoformat()}: microseconds, left out when zero. */
    static String pythonIsoFormat(LocalDateTime time) {
        int micros = time.getNano() / 1000;
        String seconds = SECONDS.format(time);
        return micros == 0 ? seconds : seconds + String.format(java.util.Locale.ROOT, ".%06d", micros);
    }
}
