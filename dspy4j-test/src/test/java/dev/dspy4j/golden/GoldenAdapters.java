package dev.dspy4j.golden;

import dev.dspy4j.adapter.Adapter;
import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.adapter.JsonAdapter;
import dev.dspy4j.adapter.TwoStepAdapter;
import dev.dspy4j.adapter.XmlAdapter;
import dev.dspy4j.internal.python.JsonRepair;
import dev.dspy4j.internal.python.PythonValues;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.testkit.ScriptedLm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Builds the adapter a golden case names in its {@code adapter} string, which is the Python
 * expression DSPy's case was captured with: {@code ChatAdapter()},
 * {@code ChatAdapter(use_json_adapter_fallback=False)}, {@code JSONAdapter(use_native_function_calling=False)},
 * {@code XMLAdapter()}, {@code TwoStepAdapter(dspy.utils.DummyLM([{"answer": "x"}]))}, ...
 *
 * <p>Every constructor argument of DSPy 3.3.1's adapters is accepted, by keyword or by position.
 * An argument that asks for a feature dspy4j has not built yet (callbacks given as Python
 * callables, native response types, native function calling in the XML or
 * two-step adapter) aborts the case, so it is reported as skipped with the reason. An unknown
 * adapter or argument fails the case: the file is then not a DSPy 3.3.1 capture.
 */
final class GoldenAdapters {

    /** Each adapter's constructor parameters in DSPy 3.3.1, in positional order. */
    private static final Map<String, List<String>> PARAMETERS = Map.of(
            "ChatAdapter", List.of("callbacks", "use_native_function_calling", "native_response_types",
                    "use_json_adapter_fallback", "parallel_tool_calls"),
            // XMLAdapter has no constructor of its own: it takes ChatAdapter's
            "XMLAdapter", List.of("callbacks", "use_native_function_calling", "native_response_types",
                    "use_json_adapter_fallback", "parallel_tool_calls"),
            "JSONAdapter", List.of("callbacks", "use_native_function_calling", "parallel_tool_calls"),
            "TwoStepAdapter", List.of("extraction_model", "callbacks", "use_native_function_calling",
                    "native_response_types", "parallel_tool_calls"));

    private GoldenAdapters() {}

    /**
     * The adapter for {@code spec}.
     *
     * @param spec the case's {@code adapter} string
     * @param parseCase whether the case parses a reply (a two-step adapter then needs a runnable
     *     extraction model)
     * @return the adapter
     * @throws AssertionError if the spec is not a DSPy 3.3.1 adapter expression
     * @throws org.opentest4j.TestAbortedException if it needs a feature not built yet
     */
    static Adapter build(String spec, boolean parseCase) {
        PythonCall call = PythonCall.parse(spec);
        String name = call.name().replaceFirst("^dspy\\.(adapters\\.)?", "");
        List<String> parameters = PARAMETERS.get(name);
        if (parameters == null) {
            throw new AssertionError("Unknown adapter '" + call.name() + "' in '" + spec + "'; DSPy 3.3.1 has "
                    + PARAMETERS.keySet());
        }
        Map<String, String> args = call.arguments(parameters, spec);
        requireNone(args, "callbacks", "callbacks (Python callables) cannot be reproduced here", "[]");
        requireNone(args, "native_response_types", "native response types (e.g. Citations) are not built yet");
        return switch (name) {
            case "ChatAdapter" -> {
                ChatAdapter chat = ChatAdapter.DEFAULT
                        .withNativeFunctionCalling(bool(args, "use_native_function_calling", false, spec))
                        .withJsonFallback(bool(args, "use_json_adapter_fallback", true, spec));
                yield hasParallel(args) ? chat.withParallelToolCalls(bool(args, "parallel_tool_calls", false, spec))
                        : chat;
            }
            case "JSONAdapter" -> {
                JsonAdapter json = JsonAdapter.DEFAULT.withNativeFunctionCalling(
                        bool(args, "use_native_function_calling", true, spec));
                yield hasParallel(args) ? json.withParallelToolCalls(bool(args, "parallel_tool_calls", false, spec))
                        : json;
            }
            case "XMLAdapter" -> {
                if (hasParallel(args)) {
                    Assumptions.abort("XMLAdapter with parallel tool calls (native function calling) is not built yet");
                }
                if (bool(args, "use_native_function_calling", false, spec)) {
                    Assumptions.abort("XMLAdapter with native function calling is not built yet");
                }
                yield bool(args, "use_json_adapter_fallback", true, spec) ? XmlAdapter.DEFAULT
                        : XmlAdapter.DEFAULT.withoutFallback();
            }
            case "TwoStepAdapter" -> {
                if (hasParallel(args)) {
                    Assumptions.abort("TwoStepAdapter with parallel tool calls is not built yet");
                }
                if (bool(args, "use_native_function_calling", false, spec)) {
                    Assumptions.abort("TwoStepAdapter with native function calling is not built yet");
                }
                String model = args.get("extraction_model");
                if (model == null) {
                    throw new AssertionError("TwoStepAdapter needs an extraction_model in '" + spec + "'");
                }
                yield TwoStepAdapter.of(extractionModel(model, parseCase));
            }
            default -> throw new AssertionError("unreachable: " + name);
        };
    }

    private static boolean hasParallel(Map<String, String> args) {
        String value = args.get("parallel_tool_calls");
        return value != null && !value.equals("None");
    }

    private static void requireNone(Map<String, String> args, String option, String reason, String... alsoNone) {
        String value = args.get(option);
        if (value != null && !value.equals("None") && !List.of(alsoNone).contains(value)) {
            Assumptions.abort(option + "=" + value + ": " + reason);
        }
    }

    private static boolean bool(Map<String, String> args, String option, boolean otherwise, String spec) {
        String value = args.get(option);
        if (value == null) {
            return otherwise;
        }
        return switch (value) {
            case "True" -> true;
            case "False" -> false;
            default -> throw new AssertionError("Option " + option + " must be True or False, not " + value
                    + ", in '" + spec + "'");
        };
    }

    /**
     * The extraction LM of a two-step adapter. Any LM expression is accepted; DSPy's
     * {@code DummyLM([{field: value}, ...])} replies with each dict in ChatAdapter's format, as
     * DSPy's does. Another LM cannot run here: formatting needs no call, and a parse case aborts.
     */
    private static Lm extractionModel(String expression, boolean parseCase) {
        PythonCall call = expression.contains("(") ? PythonCall.parse(expression) : null;
        if (call != null && call.name().replaceFirst("^dspy\\.(utils\\.)?", "").equals("DummyLM")) {
            String answers = call.arguments(List.of("answers"), expression).get("answers");
            if (answers != null && JsonRepair.literalEval(answers) instanceof List<?> list) {
                List<String> replies = new ArrayList<>();
                for (Object answer : list) {
                    if (!(answer instanceof Map<?, ?> fields)) {
                        throw new AssertionError("DummyLM answers must be dicts in '" + expression + "'");
                    }
                    replies.add(dummyReply(fields));
                }
                return ScriptedLm.replying(replies.toArray(String[]::new));
            }
        }
        if (parseCase) {
            Assumptions.abort("the extraction model " + expression + " cannot be run here; only DummyLM([...]) can");
        }
        return new Lm() {
            @Override
            public LmResponse call(LmRequest request) {
                throw new AssertionError("the extraction model " + expression + " was called by a format case");
            }

            @Override
            public String model() {
                return expression;
            }
        };
    }

    /** DummyLM's reply for one dict: each field as a ChatAdapter section, values as DSPy formats them. */
    private static String dummyReply(Map<?, ?> fields) {
        StringBuilder out = new StringBuilder();
        fields.forEach((name, value) -> {
            String text = value instanceof String s ? s
                    : value instanceof List<?> || value instanceof Map<?, ?> ? PythonValues.jsonDumps(value)
                    : PythonValues.str(value);
            out.append("[[ ## ").append(name).append(" ## ]]\n").append(text).append("\n\n");
        });
        return out.append("[[ ## completed ## ]]").toString();
    }

    /**
     * A Python call expression {@code name(arg, key=value, ...)}, split into its top-level
     * arguments (nested calls, lists, dicts and strings kept whole).
     */
    record PythonCall(String name, List<String> positional, Map<String, String> keywords) {

        static PythonCall parse(String text) {
            String spec = text.strip();
            int open = spec.indexOf('(');
            if (open <= 0 || !spec.endsWith(")")) {
                throw new AssertionError("Cannot read '" + text + "' as a call like Name(key=value)");
            }
            List<String> positional = new ArrayList<>();
            Map<String, String> keywords = new LinkedHashMap<>();
            for (String arg : splitTopLevel(spec.substring(open + 1, spec.length() - 1), text)) {
                int eq = keywordEquals(arg);
                if (eq < 0) {
                    if (!keywords.isEmpty()) {
                        throw new AssertionError("Positional argument after keywords in '" + text + "'");
                    }
                    positional.add(arg);
                } else {
                    keywords.put(arg.substring(0, eq).strip(), arg.substring(eq + 1).strip());
                }
            }
            return new PythonCall(spec.substring(0, open).strip(), positional, keywords);
        }

        /** Positional and keyword arguments by parameter name. */
        Map<String, String> arguments(List<String> parameters, String spec) {
            if (positional.size() > parameters.size()) {
                throw new AssertionError(name + " takes at most " + parameters.size()
                        + " positional arguments in '" + spec + "'");
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (int i = 0; i < positional.size(); i++) {
                out.put(parameters.get(i), positional.get(i));
            }
            for (Map.Entry<String, String> keyword : keywords.entrySet()) {
                if (!parameters.contains(keyword.getKey())) {
                    throw new AssertionError("Unknown option '" + keyword.getKey() + "' for " + name + " in '" + spec
                            + "'; DSPy 3.3.1 takes " + parameters);
                }
                if (out.put(keyword.getKey(), keyword.getValue()) != null) {
                    throw new AssertionError("Option '" + keyword.getKey() + "' given twice in '" + spec + "'");
                }
            }
            return out;
        }

        private static List<String> splitTopLevel(String args, String text) {
            List<String> out = new ArrayList<>();
            int depth = 0;
            int start = 0;
            char quote = 0;
            for (int i = 0; i < args.length(); i++) {
                char c = args.charAt(i);
                if (quote != 0) {
                    if (c == '\\') {
                        i++;
                    } else if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '(' || c == '[' || c == '{') {
                    depth++;
                } else if (c == ')' || c == ']' || c == '}') {
                    depth--;
                } else if (c == ',' && depth == 0) {
                    out.add(args.substring(start, i).strip());
                    start = i + 1;
                }
            }
            if (quote != 0 || depth != 0) {
                throw new AssertionError("Unbalanced quotes or brackets in '" + text + "'");
            }
            String last = args.substring(start).strip();
            if (!last.isEmpty()) {
                out.add(last); // else nothing, or a trailing comma, which Python allows
            }
            if (out.contains("")) {
                throw new AssertionError("Empty argument in '" + text + "'");
            }
            return out;
        }

        /** The index of a keyword argument's {@code =}, or -1 for a positional argument. */
        private static int keywordEquals(String arg) {
            int i = 0;
            while (i < arg.length() && (Character.isLetterOrDigit(arg.charAt(i)) || arg.charAt(i) == '_')) {
                i++;
            }
            int eq = i;
            while (eq < arg.length() && Character.isWhitespace(arg.charAt(eq))) {
                eq++;
            }
            boolean keyword = i > 0 && eq < arg.length() && arg.charAt(eq) == '='
                    && (eq + 1 >= arg.length() || arg.charAt(eq + 1) != '=');
            return keyword ? eq : -1;
        }
    }
}
