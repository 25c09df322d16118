package dev.dspy4j.streaming;

/**
 * Where an output field starts and ends in a completion, per adapter format. Given the text so far,
 * each format returns the field's value as far as it is certain: text that could still turn out to
 * be a marker, trailing whitespace (which the adapter strips) and half an escape are held back.
 */
enum FieldFormat {
    /** ChatAdapter: {@code [[ ## field ## ]]} on its own line, up to the next marker line. */
    CHAT {
        @Override
        Progress progress(String text, String field, boolean ended) {
            return ChatFields.progress(text, field, ended);
        }
    },
    /** JSONAdapter: the value of the top-level key {@code "field"}, strings unescaped. */
    JSON {
        @Override
        Progress progress(String text, String field, boolean ended) {
            return JsonFields.progress(text, field, ended);
        }
    },
    /** XMLAdapter: the text between {@code <field>} and {@code </field>}, stripped. */
    XML {
        @Override
        Progress progress(String text, String field, boolean ended) {
            String open = "<" + field + ">";
            String close = "</" + field + ">";
            int start = text.indexOf(open);
            if (start < 0) {
                return Progress.NOT_STARTED;
            }
            int from = start + open.length();
            int end = text.indexOf(close, from);
            if (end >= 0) {
                return new Progress(Texts.strip(unescapeXml(text.substring(from, end))), true, true);
            }
            String body = text.substring(from);
            if (ended) {
                return new Progress(Texts.strip(unescapeXml(body)), true, true);
            }
            body = body.substring(0, body.length() - Texts.partialSuffix(body, close));
            int amp = body.lastIndexOf('&');
            if (amp >= 0 && body.indexOf(';', amp) < 0) {
                body = body.substring(0, amp); // an entity cut off by the chunk boundary
            }
            return new Progress(Texts.rstrip(Texts.lstrip(unescapeXml(body))), true, false);
        }
    };

    /** XML text with its entity and character references resolved, as the XML parser reads it. */
    static String unescapeXml(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int semi = c == '&' ? text.indexOf(';', i) : -1;
            if (semi < 0) {
                out.append(c);
                i++;
                continue;
            }
            String name = text.substring(i + 1, semi);
            String resolved = switch (name) {
                case "lt" -> "<";
                case "gt" -> ">";
                case "amp" -> "&";
                case "quot" -> "\"";
                case "apos" -> "'";
                default -> characterReference(name);
            };
            if (resolved == null) {
                out.append(c);
                i++;
            } else {
                out.append(resolved);
                i = semi + 1;
            }
        }
        return out.toString();
    }

    private static @org.jspecify.annotations.Nullable String characterReference(String name) {
        try {
            if (name.startsWith("#x")) {
                return Character.toString(Integer.parseInt(name.substring(2), 16));
            }
            if (name.startsWith("#")) {
                return Character.toString(Integer.parseInt(name.substring(1)));
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    /**
     * The field's value as far as it is certain.
     *
     * @param value the value so far (a prefix of the final value)
     * @param started whether the field's start was seen
     * @param complete whether the field has ended
     */
    record Progress(String value, boolean started, boolean complete) {
        static final Progress NOT_STARTED = new Progress("", false, false);
    }

    abstract Progress progress(String text, String field, boolean ended);
}
