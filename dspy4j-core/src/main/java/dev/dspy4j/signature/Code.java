package dev.dspy4j.signature;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Source code in a language: the value of a {@code dspy.Code["language"]} field
 * ({@link FieldType.CodeType}).
 *
 * <p>As a record component it declares such a field; {@link Language @Code.Language} names the
 * language. Without it the field is bare {@code dspy.Code} (Python, type name {@code Code}):
 *
 * <pre>{@code
 * record Generated(@Desc("a python function") @Code.Language("python") Code code) {}
 * }</pre>
 *
 * <p>In a prompt (an input, or an output of a demo) a value is written as its bare code. Reading a value from an LM's text keeps
 * what is inside the first markdown code block, whatever its language tag, as DSPy does
 * ({@link #stripFence}).
 *
 * @param language the language, e.g. {@code python}
 * @param code the code, without a markdown fence
 */
public record Code(String language, String code) {

    /** A fenced block: the opening line (with any language tag) is dropped. */
    private static final Pattern FENCED = Pattern.compile("```[^\\n]*\\n(.*?)```", Pattern.DOTALL);
    /** A one-line block: {@code ```code```}. */
    private static final Pattern INLINE = Pattern.compile("```(.*?)```", Pattern.DOTALL);

    public Code {
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(code, "code");
    }

    /**
     * A value read from text as DSPy's {@code Code} reads a string: the content of the first
     * markdown code block, stripped, or the whole text when it has none.
     *
     * @param language the field's language
     * @param text the text, fenced or not
     * @return the code
     */
    public static Code fromText(String language, String text) {
        return new Code(language, stripFence(text));
    }

    /**
     * DSPy's fence filter: the content of the first {@code ```lang\n...```} block, else of the
     * first {@code ```...```} span, stripped of surrounding whitespace; the text unchanged when it
     * has neither.
     */
    public static String stripFence(String text) {
        Matcher fenced = FENCED.matcher(text);
        if (fenced.find()) {
            return fenced.group(1).strip();
        }
        Matcher inline = INLINE.matcher(text);
        if (inline.find()) {
            return inline.group(1).strip();
        }
        return text;
    }

    /**
     * The language of a {@link Code} record component, as in {@code dspy.Code["java"]}: the field
     * is then named {@code Code_java} in prompts.
     */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.RECORD_COMPONENT)
    public @interface Language {
        /** The language, e.g. {@code python} or {@code java}. */
        String value();
    }
}
