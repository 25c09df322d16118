package dev.dspy4j.tool;

import dev.dspy4j.internal.python.PythonValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * One call of a tool: check the arguments against their schemas, fill in defaults, convert them,
 * run the code (on a virtual thread with a deadline when the tool has a timeout) and turn every
 * failure into a {@link ToolResult.Failure}.
 */
final class ToolInvocation {

    private ToolInvocation() {}

    static ToolResult invoke(Tool tool, Binding binding, Map<String, ?> given) {
        Map<String, @Nullable Object> plain = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : given.entrySet()) {
            String arg = e.getKey();
            Map<String, Object> schema = tool.args().get(arg);
            if (schema == null) {
                return invalid("Arg " + arg + " is not in the tool's args.");
            }
            Object value = PythonValues.toJsonable(e.getValue());
            String problem = SchemaValidator.check(value, schema);
            if (problem != null) {
                return invalid("Arg " + arg + " is invalid: " + problem);
            }
            plain.put(arg, value);
        }
        if (!binding.parameters().isEmpty()) {
            for (Binding.JavaParameter parameter : binding.parameters()) {
                if (!plain.containsKey(parameter.name())) {
                    Map<String, Object> schema = tool.args().get(parameter.name());
                    if (schema == null || !schema.containsKey("default")) {
                        return invalid("Arg " + parameter.name() + " is required but was not given.");
                    }
                    plain.put(parameter.name(), schema.get("default"));
                }
            }
        }
        Object prepared;
        try {
            prepared = binding.prepare(plain);
        } catch (Binding.InvalidArgumentException e) {
            return invalid(String.valueOf(e.getMessage()));
        } catch (RuntimeException e) {
            // a record's constructor rejected the values; RecordValues keeps its exception as the cause
            return invalid("Arguments of " + tool.name() + " are invalid: " + describe(e.getCause() == null ? e : e.getCause()));
        }
        Duration timeout = tool.timeout().orElse(null);
        return timeout == null ? run(binding, prepared) : runWithin(tool, binding, prepared, timeout);
    }

    private static ToolResult run(Binding binding, Object prepared) {
        try {
            return new ToolResult.Success(binding.invoke(prepared));
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            return failed(e);
        }
    }

    private static ToolResult runWithin(Tool tool, Binding binding, Object prepared, Duration timeout) {
        CompletableFuture<ToolResult> outcome = new CompletableFuture<>();
        Thread thread = Thread.ofVirtual().name("dspy4j-tool-" + tool.name()).start(() -> {
            try {
                outcome.complete(run(binding, prepared));
            } catch (Throwable e) {
                outcome.complete(failed(e));
            }
        });
        try {
            return outcome.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            thread.interrupt();
            return new ToolResult.Failure(ToolException.Kind.TIMEOUT, "Tool " + tool.name()
                    + " did not return within " + describe(timeout) + " and was interrupted.", null);
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
            return new ToolResult.Failure(ToolException.Kind.INTERRUPTED, "The call of tool " + tool.name()
                    + " was interrupted while it ran; the tool was interrupted too.", e);
        } catch (ExecutionException e) {
            return failed(e.getCause() == null ? e : e.getCause()); // never: run() completes normally
        }
    }

    private static ToolResult failed(Throwable e) {
        return new ToolResult.Failure(ToolException.Kind.TOOL_ERROR, describe(e), e);
    }

    private static ToolResult invalid(String message) {
        return new ToolResult.Failure(ToolException.Kind.INVALID_ARGUMENTS, message, null);
    }

    /** An exception as the last line of a Python traceback: {@code IllegalStateException: boom}. */
    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isEmpty() ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + message;
    }

    private static String describe(Duration timeout) {
        long millis = timeout.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    /** A deep, unmodifiable copy of a schema as plain JSON-like values (nulls kept). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> freeze(Map<String, ?> schema) {
        return (Map<String, Object>) Objects.requireNonNull(freezeValue(PythonValues.toJsonable(schema)));
    }

    private static @Nullable Object freezeValue(@Nullable Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, @Nullable Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), freezeValue(v)));
            return Collections.unmodifiableMap(out);
        }
        if (value instanceof List<?> list) {
            List<@Nullable Object> out = new ArrayList<>(list.size());
            list.forEach(item -> out.add(freezeValue(item)));
            return Collections.unmodifiableList(out);
        }
        return value;
    }
}
