package dev.dspy4j.streaming;

/**
 * A ChatAdapter field as the completion grows: as the adapter reads it, a line whose stripped text
 * starts with {@code [[ ## name ## ]]} opens a section (text after the marker on that line is kept)
 * and the next such line ends it; the section is stripped.
 */
final class ChatFields {

    private static final String OPEN = "[[ ## ";
    private static final String CLOSE = " ## ]]";

    private ChatFields() {}

    static FieldFormat.Progress progress(String completion, String field, boolean ended) {
        String text = completion.replace("\r\n", "\n");
        String marker = OPEN + field + CLOSE;
        int lineStart = 0;
        int bodyFrom = -1;
        String firstLine = "";
        boolean headerLineComplete = false;
        int n = text.length();
        while (lineStart <= n) {
            int lineEnd = text.indexOf('\n', lineStart);
            boolean complete = lineEnd >= 0;
            if (!complete) {
                lineEnd = n;
            }
            int s = lineStart;
            while (s < lineEnd && Texts.isSpace(text.charAt(s))) {
                s++;
            }
            if (bodyFrom < 0) {
                if (text.startsWith(marker, s)) {
                    firstLine = text.substring(s + marker.length(), lineEnd);
                    headerLineComplete = complete;
                    bodyFrom = complete ? lineEnd + 1 : n;
                }
            } else if (isMarkerLine(text, s, lineEnd)) {
                return new FieldFormat.Progress(value(firstLine, text.substring(bodyFrom, lineStart - 1), true), true,
                        true);
            } else if (!complete && !ended && mayBecomeMarker(text.substring(s, lineEnd))) {
                // the last line may still turn into the next marker: hold it back
                String body = lineStart - 1 >= bodyFrom ? text.substring(bodyFrom, lineStart - 1) : "";
                return new FieldFormat.Progress(value(firstLine, body, false), true, false);
            }
            if (!complete) {
                break;
            }
            lineStart = lineEnd + 1;
        }
        if (bodyFrom < 0) {
            return FieldFormat.Progress.NOT_STARTED;
        }
        if (!headerLineComplete) {
            String first = Texts.lstrip(firstLine);
            return new FieldFormat.Progress(ended ? Texts.rstrip(first) : Texts.rstrip(first), true, ended);
        }
        return new FieldFormat.Progress(value(firstLine, text.substring(Math.min(bodyFrom, n)), ended), true, ended);
    }

    private static String value(String firstLine, String body, boolean complete) {
        String first = Texts.strip(firstLine);
        String joined = first.isEmpty() ? Texts.lstrip(body) : first + "\n" + body;
        // trailing whitespace may be followed by more text, or be stripped at the end: hold it back
        return complete ? Texts.rstrip(joined) : Texts.rstrip(joined);
    }

    private static boolean isMarkerLine(String text, int s, int lineEnd) {
        if (!text.startsWith(OPEN, s)) {
            return false;
        }
        int close = text.indexOf(CLOSE, s + OPEN.length());
        if (close < 0 || close + CLOSE.length() > lineEnd) {
            return false;
        }
        for (int i = s + OPEN.length(); i < close; i++) {
            char c = text.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_')) {
                return false;
            }
        }
        return close > s + OPEN.length();
    }

    private static boolean mayBecomeMarker(String strippedLine) {
        return OPEN.startsWith(strippedLine) || strippedLine.startsWith(OPEN);
    }
}
