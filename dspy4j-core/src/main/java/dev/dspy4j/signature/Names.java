package dev.dspy4j.signature;

/**
 * How names are spelled: Java names to prompt names ({@code ticketText} to {@code ticket_text}),
 * and DSPy's prefix inference ({@code isHTTPSSecure123} to {@code Is HTTPS Secure 123}).
 */
public final class Names {

    private Names() {}

    /**
     * The prompt name of a Java identifier: lower snake case, acronyms kept together.
     * {@code ticketText} becomes {@code ticket_text}, {@code parseHTTPResponse} becomes
     * {@code parse_http_response}; a name already in snake case is unchanged.
     *
     * @param javaName a Java field, component or method name
     * @return the name to show the LM
     */
    public static String toSnakeCase(String javaName) {
        StringBuilder out = new StringBuilder(javaName.length() + 4);
        for (int i = 0; i < javaName.length(); i++) {
            char c = javaName.charAt(i);
            if (Character.isUpperCase(c)) {
                boolean prevLowerOrDigit = i > 0
                        && (Character.isLowerCase(javaName.charAt(i - 1)) || Character.isDigit(javaName.charAt(i - 1)));
                boolean acronymEnd = i > 0 && Character.isUpperCase(javaName.charAt(i - 1))
                        && i + 1 < javaName.length() && Character.isLowerCase(javaName.charAt(i + 1));
                if ((prevLowerOrDigit || acronymEnd) && out.length() > 0 && out.charAt(out.length() - 1) != '_') {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * DSPy's {@code infer_prefix}: splits camel case and snake case into capitalized words, keeps
     * acronyms upper case, and separates digits, e.g. {@code "question"} to {@code "Question"},
     * {@code "isHTTPSSecure123"} to {@code "Is HTTPS Secure 123"}.
     *
     * @param name a field name
     * @return the human-readable prefix, without the trailing colon
     */
    public static String inferPrefix(String name) {
        // 1. split camel case (acronym followed by a word, then lower/digit followed by upper)
        String s1 = name.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
        String intermediate = s1.replaceAll("([a-z0-9])([A-Z])", "$1_$2");
        // 2. separate letters and digits
        String withDigits = intermediate.replaceAll("([a-zA-Z])(\\d)", "$1_$2").replaceAll("(\\d)([a-zA-Z])", "$1_$2");
        StringBuilder out = new StringBuilder();
        String[] words = withDigits.split("_", -1);
        for (int i = 0; i < words.length; i++) {
            String word = words[i];
            if (i > 0) {
                out.append(' ');
            }
            if (word.isEmpty()) {
                continue;
            }
            if (word.equals(word.toUpperCase()) && word.chars().anyMatch(Character::isLetter)) {
                out.append(word);
            } else {
                out.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1).toLowerCase());
            }
        }
        return out.toString();
    }

    static void requireIdentifier(String name) {
        if (name.isEmpty()) {
            throw new SignatureException("A field name must not be empty.");
        }
        if (!(Character.isLetter(name.charAt(0)) || name.charAt(0) == '_')) {
            throw new SignatureException("Field name '" + name + "' must start with a letter or '_'.");
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_')) {
                throw new SignatureException("Field name '" + name + "' has the character '" + c
                        + "' at position " + i + "; use letters, digits and '_' only.");
            }
        }
    }
}
