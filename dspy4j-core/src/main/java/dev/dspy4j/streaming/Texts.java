package dev.dspy4j.streaming;

/** Python's whitespace stripping, and the tail of a text that may begin a marker. */
final class Texts {

    private Texts() {}

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b || c == 0x1c
                || c == 0x1d || c == 0x1e || c == 0x1f || c == 0x85 || Character.isWhitespace(c)
                || Character.isSpaceChar(c);
    }

    static String lstrip(String s) {
        int i = 0;
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        return s.substring(i);
    }

    static String rstrip(String s) {
        int i = s.length();
        while (i > 0 && isSpace(s.charAt(i - 1))) {
            i--;
        }
        return s.substring(0, i);
    }

    static String strip(String s) {
        return rstrip(lstrip(s));
    }

    /** The length of the longest suffix of {@code text} that is a proper prefix of {@code marker}. */
    static int partialSuffix(String text, String marker) {
        for (int length = Math.min(marker.length() - 1, text.length()); length > 0; length--) {
            if (marker.startsWith(text.substring(text.length() - length))) {
                return length;
            }
        }
        return 0;
    }
}
