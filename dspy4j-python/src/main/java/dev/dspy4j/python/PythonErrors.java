package dev.dspy4j.python;

import dev.dspy4j.module.CodeExecutionException;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Tells a forbidden operation from an ordinary Python error, by its type and message. */
final class PythonErrors {

    private static final Set<String> FORBIDDEN_TYPES = Set.of("PermissionError");
    private static final Set<String> FORBIDDEN_WORDS = Set.of("not allowed", "access denied", "permission denied",
            "host access", "is not permitted", "operation not permitted", "polyglot access", "no access",
            "not supported in this context", "sandbox", "was excluded", "has been denied");

    private PythonErrors() {}

    /** Whether a message says the sandbox refused something. */
    static boolean isRefusal(@Nullable String message) {
        return message != null && message.contains("not allowed");
    }

    /**
     * The first sentence of GraalVM's refusal, without its {@code java.lang...:} prefix and its
     * advice to the host programmer ("to enable it set Context.Builder...").
     */
    static String refusal(String message) {
        String text = message.replaceFirst("^[a-zA-Z0-9_.$]+(Exception|Error): ", "");
        int advice = text.indexOf(", to enable it");
        text = advice < 0 ? text : text.substring(0, advice) + ".";
        return text.replace("not allowed", "not allowed in this sandbox");
    }

    static CodeExecutionException.Kind kind(String type, String message) {
        if (type.equals("MemoryError")) {
            return CodeExecutionException.Kind.MEMORY_LIMIT;
        }
        if (FORBIDDEN_TYPES.contains(type)) {
            return CodeExecutionException.Kind.FORBIDDEN;
        }
        String lower = message.toLowerCase(Locale.ROOT);
        for (String word : FORBIDDEN_WORDS) {
            if (lower.contains(word)) {
                return CodeExecutionException.Kind.FORBIDDEN;
            }
        }
        return CodeExecutionException.Kind.RUNTIME;
    }
}
