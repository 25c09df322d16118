package dev.dspy4j.tool;

import dev.dspy4j.internal.python.JsonRepair;
import dev.dspy4j.internal.python.PythonValues;
import dev.dspy4j.lm.ToolCall;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Name;
import dev.dspy4j.signature.SpecialFieldType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The tools an LM chose to call, as DSPy's {@code dspy.ToolCalls}: the value of an output field
 * of this type (shorthand {@code tool_calls: ToolCalls}), and, with the {@linkplain Result results}
 * of running them, a value inside a {@code History} message.
 *
 * <p>In prompts a value is written {@code {"tool_calls": [{"name": ..., "args": {...}}]}}: call ids
 * and results are left out, as DSPy does. The LM's reply is read by {@link #from(Object)}, which
 * accepts what DSPy accepts. With native function calling the provider's
 * {@linkplain ToolCall tool calls} become a value through {@link #fromLm(List)}, ids kept.
 *
 * <p>In a {@code History} message, a value with results becomes, after the assistant turn that made
 * the calls, a user turn {@code [[ ## tool_call_results ## ]]} with the results (text protocol) or
 * one tool message per result (native function calling; there every call needs an id and the
 * results must answer the calls in order, or they are left out, as in DSPy).
 *
 * <p>Immutable and thread-safe (argument maps and result values are copied shallowly: callers
 * must not change nested values they pass in).
 *
 * @param calls the calls, in the order the LM made them
 * @param results the results of running them, for a history turn; empty when there are none
 */
@SpecialFieldType(FieldType.SpecialType.Kind.TOOL_CALLS)
public record ToolCalls(@Name("tool_calls") List<Call> calls, @Name("tool_call_results") List<Result> results) {

    public ToolCalls {
        calls = List.copyOf(calls);
        results = List.copyOf(results);
    }

    /** Calls without results. */
    public static ToolCalls of(List<Call> calls) {
        return new ToolCalls(calls, List.of());
    }

    /** Calls without results. */
    public static ToolCalls of(Call... calls) {
        return of(List.of(calls));
    }

    /**
     * One call of a tool.
     *
     * @param id the provider's call id, or {@code null} (calls read from text have none)
     * @param name the tool's name
     * @param args the arguments by name, in the order given
     */
    public record Call(@Nullable String id, String name, Map<String, Object> args) {
        public Call {
            Objects.requireNonNull(name, "name");
            args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
        }

        /** A call without an id. */
        public static Call of(String name, Map<String, ?> args) {
            return new Call(null, name, new LinkedHashMap<>(args));
        }

        /**
         * Runs this call with the tool of the same name, as {@link Tool#invoke(Map)} does.
         *
         * @param tools the tools to choose from
         * @return the tool's result, or a failure if no tool has this name
         */
        public ToolResult invoke(List<Tool> tools) {
            for (Tool tool : tools) {
                if (tool.name().equals(name)) {
                    return tool.invoke(args);
                }
            }
            List<String> names = new ArrayList<>(tools.size());
            tools.forEach(tool -> names.add(tool.name()));
            return new ToolResult.Failure(ToolException.Kind.INVALID_ARGUMENTS, "Tool function '" + name
                    + "' not found; the tools are " + names + ".", null);
        }
    }

    /**
     * The result of one call, for a history turn (DSPy's {@code ToolCallResults.ToolCallResult}).
     *
     * @param callId the id of the call answered, or {@code null}
     * @param name the tool's name
     * @param value what the tool returned (a string is shown as it is, anything else as JSON), or
     *     the error text
     * @param isError whether the call failed
     */
    public record Result(@Name("call_id") @Nullable String callId, String name, @Nullable Object value,
                         @Name("is_error") boolean isError) {
        public Result {
            Objects.requireNonNull(name, "name");
        }

        /** The result of a call: its value, or the failure's message with {@code isError}. */
        public static Result of(Call call, ToolResult result) {
            return switch (result) {
                case ToolResult.Success success -> new Result(call.id(), call.name(), success.value(), false);
                case ToolResult.Failure failure -> new Result(call.id(), call.name(), failure.message(), true);
            };
        }
    }

    /** These calls with results (replacing any), e.g. to keep a turn in a {@code History}. */
    public ToolCalls withResults(List<Result> newResults) {
        return new ToolCalls(calls, newResults);
    }

    /** Whether results are attached. */
    public boolean hasResults() {
        return !results.isEmpty();
    }

    /**
     * The value as DSPy writes it in prompts: {@code {"tool_calls": [{"name": ..., "args": {...}}]}},
     * without ids or results.
     */
    public Map<String, Object> promptValue() {
        List<Object> out = new ArrayList<>(calls.size());
        for (Call call : calls) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", call.name());
            one.put("args", call.args());
            out.add(one);
        }
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("tool_calls", out);
        return value;
    }

    /**
     * The results as DSPy writes them in the text protocol:
     * {@code {"tool_call_results": [{"call_id", "name", "value", "is_error"}]}}.
     */
    public Map<String, Object> resultsValue() {
        List<Object> out = new ArrayList<>(results.size());
        for (Result result : results) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("call_id", result.callId());
            one.put("name", result.name());
            one.put("value", result.value());
            one.put("is_error", result.isError());
            out.add(one);
        }
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("tool_call_results", out);
        return value;
    }

    /**
     * The calls a provider returned (native function calling): ids kept, arguments parsed (text
     * that is not a JSON object is repaired as DSPy's {@code json_repair} does, else empty), whole
     * numbers as {@code Long} and other numbers as {@code Double}, as parsed text gives them.
     *
     * @param toolCalls the provider's calls
     * @return the value
     */
    public static ToolCalls fromLm(List<ToolCall> toolCalls) {
        List<Call> out = new ArrayList<>(toolCalls.size());
        for (ToolCall call : toolCalls) {
            Map<String, Object> args = call.argumentsValid() ? plain(call.arguments()) : repairedArgs(call.argumentsJson());
            out.add(new Call(call.id().isEmpty() ? null : call.id(), call.name(), args));
        }
        return of(out);
    }

    /**
     * Reads a value as DSPy's {@code ToolCalls} validation does. Accepted:
     * <ul>
     *   <li>a {@code ToolCalls} (returned as is);</li>
     *   <li>{@code {"tool_calls": [call, ...]}}, optionally with {@code "tool_call_results"} (a list of
     *       results, {@code {"tool_call_results": [...]}}, or a single result);</li>
     *   <li>a list of calls;</li>
     *   <li>a single call.</li>
     * </ul>
     * A call is {@code {"name", "args"}}, {@code {"name", "arguments"}}, or the provider shape
     * {@code {"id", "type", "function": {"name", "arguments"}}}; arguments given as JSON text are
     * parsed; {@code call_id} is taken as the id. A result is {@code {"call_id", "name", "value",
     * "is_error"}} ({@code is_error} defaults to false).
     *
     * @param value the value
     * @return the calls
     * @throws IllegalArgumentException with DSPy's message if the value is none of these
     */
    public static ToolCalls from(@Nullable Object value) {
        if (value instanceof ToolCalls toolCalls) {
            return toolCalls;
        }
        if (value instanceof Collection<?> list && !list.isEmpty() && allCalls(list)) {
            return of(calls(list));
        }
        if (value instanceof Map<?, ?> map) {
            if (map.containsKey("tool_calls")) {
                if (map.get("tool_calls") instanceof Collection<?> list) {
                    List<Result> results = map.get("tool_call_results") == null ? List.of()
                            : results(map.get("tool_call_results"));
                    return new ToolCalls(calls(list), results);
                }
            } else if (isCall(map)) {
                return of(List.of(call(map)));
            }
        }
        if (value instanceof Collection<?> list && list.isEmpty()) {
            return of(List.of());
        }
        throw new IllegalArgumentException("Received invalid value for `dspy.ToolCalls`: " + PythonValues.str(value));
    }

    private static boolean allCalls(Collection<?> list) {
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> map && isCall(map))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isCall(Map<?, ?> map) {
        return (map.containsKey("name") && (map.containsKey("args") || map.containsKey("arguments")))
                || map.containsKey("function");
    }

    private static List<Call> calls(Collection<?> items) {
        List<Call> out = new ArrayList<>(items.size());
        for (Object item : items) {
            if (item instanceof Call call) {
                out.add(call);
            } else if (item instanceof Map<?, ?> map) {
                out.add(call(map));
            } else {
                throw new IllegalArgumentException("Received invalid tool call value for `dspy.ToolCalls`: "
                        + PythonValues.str(item));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Call call(Map<?, ?> map) {
        Object arguments;
        Object name;
        if (map.containsKey("function")) {
            Object given = map.get("function");
            if (given != null && !(given instanceof Map<?, ?>)) {
                throw new IllegalArgumentException("Received invalid function value for `dspy.ToolCalls`: "
                        + PythonValues.str(given));
            }
            Map<?, ?> function = given == null ? Map.of() : (Map<?, ?>) given;
            arguments = function.containsKey("arguments") ? function.get("arguments") : Map.of();
            name = function.get("name") != null ? function.get("name") : map.get("name");
        } else {
            arguments = map.containsKey("args") ? map.get("args") : map.containsKey("arguments") ? map.get("arguments")
                    : Map.of();
            name = map.get("name");
        }
        Map<String, Object> args;
        if (arguments instanceof String text) {
            args = repairedArgs(text);
        } else if (arguments instanceof Map<?, ?> given) {
            args = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : given.entrySet()) {
                args.put(String.valueOf(e.getKey()), e.getValue());
            }
        } else {
            args = Map.of();
        }
        if (!(name instanceof String toolName)) {
            throw new IllegalArgumentException("Received invalid tool call value for `dspy.ToolCalls`: "
                    + PythonValues.str(map) + " (a call needs a name)");
        }
        Object id = map.get("id") != null && !"".equals(map.get("id")) ? map.get("id") : map.get("call_id");
        return new Call(id == null ? null : String.valueOf(id), toolName, args);
    }

    /** JSON numbers as dspy4j's plain data holds them (whole numbers as {@code Long}), as text parsing gives. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> plain(Map<String, Object> arguments) {
        return (Map<String, Object>) Objects.requireNonNull(PythonValues.toJsonable(arguments));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> repairedArgs(String text) {
        Object parsed = JsonRepair.loads(text);
        return parsed instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static List<Result> results(Object value) {
        Object items = value;
        if (value instanceof Map<?, ?> map) {
            if (map.containsKey("tool_call_results")) {
                items = map.get("tool_call_results");
            } else if (map.containsKey("name") && map.containsKey("value")) {
                items = List.of(map);
            }
        }
        if (!(items instanceof Collection<?> list)) {
            throw new IllegalArgumentException("Received invalid value for `dspy.ToolCallResults`: "
                    + PythonValues.str(value));
        }
        List<Result> out = new ArrayList<>(list.size());
        for (Object item : list) {
            if (item instanceof Result result) {
                out.add(result);
            } else if (item instanceof Map<?, ?> map && map.get("name") instanceof String name) {
                Object callId = map.get("call_id");
                out.add(new Result(callId == null ? null : String.valueOf(callId), name, map.get("value"),
                        Boolean.TRUE.equals(map.get("is_error"))));
            } else {
                throw new IllegalArgumentException("Received invalid value for `dspy.ToolCallResults`: "
                        + PythonValues.str(value));
            }
        }
        return out;
    }
}
