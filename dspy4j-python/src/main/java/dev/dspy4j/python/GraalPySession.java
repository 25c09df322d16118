package dev.dspy4j.python;

import dev.dspy4j.DspyException;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.module.CodeExecutionException;
import dev.dspy4j.module.CodeResult;
import dev.dspy4j.module.CodeSession;
import dev.dspy4j.tool.Tool;
import dev.dspy4j.tool.ToolResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * One namespace in a pooled GraalPy context. Values cross the boundary as JSON text (Python's
 * {@code json} module on one side, Jackson on the other), so no host object is ever visible to the
 * guest. Used by one thread at a time.
 */
final class GraalPySession implements CodeSession {

    static final JsonMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final long GRACE_MILLIS = 3_000;

    private final GraalPyInterpreter interpreter;
    private final List<Tool> tools;
    private GraalPyInterpreter.PythonContext context;
    private Value namespace;
    private boolean closed;

    GraalPySession(GraalPyInterpreter interpreter, GraalPyInterpreter.PythonContext context, List<Tool> tools) {
        this.interpreter = interpreter;
        this.tools = tools;
        this.context = context;
        this.namespace = newNamespace(context);
    }

    private Value newNamespace(GraalPyInterpreter.PythonContext on) {
        List<List<Object>> declared = tools.stream()
                .map(tool -> List.<Object>of(tool.name(), List.copyOf(tool.args().keySet()))).toList();
        ProxyExecutable hostCall = arguments -> callTool(arguments[0].asString(), arguments[1].asString());
        return on.namespaceFactory().execute(JSON.writeValueAsString(declared), hostCall);
    }

    private String callTool(String name, String argumentsJson) {
        Tool tool = tools.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
        Map<String, Object> arguments = new LinkedHashMap<>();
        JSON.readValue(argumentsJson, Map.class).forEach((k, v) -> arguments.put(String.valueOf(k), v));
        Map<String, @Nullable Object> reply = new LinkedHashMap<>();
        switch (tool.invoke(arguments)) {
            case ToolResult.Success success -> reply.put("value", success.value());
            case ToolResult.Failure failure -> reply.put("error", failure.message());
        }
        return JSON.writeValueAsString(reply);
    }

    @Override
    public CodeResult execute(String code, Map<String, ?> variables) {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(variables, "variables");
        if (closed) {
            throw new DspyException("This Python session is closed; open a new one with openSession.");
        }
        interpreter.checkOpen();
        String variablesJson = JSON.writeValueAsString(variables);
        GraalPyInterpreter.PythonContext on = context;
        // tools run on the interpreter's thread: they see the caller's context, as ReAct's tools do
        DspyContext caller = DspyContext.current();
        Future<RawResult> future = interpreter.runners().submit(() -> {
            try (DspyContext.Scope scope = caller.bind()) {
                return run(on, code, variablesJson);
            }
        });
        RawResult result;
        try {
            result = future.get(interpreter.runTimeout().toMillis() + GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new DspyException("Interrupted while Python code ran; the run was abandoned.", e);
        } catch (TimeoutException e) {
            // the watchdog failed to stop the code: cancel the context and go on in a fresh one
            replaceContext();
            throw new CodeExecutionException(CodeExecutionException.Kind.TIMEOUT, "TimeoutError",
                    "TimeoutError: the code ran longer than the limit of " + interpreter.runTimeout().toMillis()
                            + " ms and was stopped; make it do less work", 0, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StoppedRun stopped) {
                if (stopped.cancelled) {
                    replaceContext();
                }
                throw stopped.reason;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new DspyException("GraalPy failed: " + e.getCause(), e.getCause());
        }
        return toResult(result);
    }

    /** Runs on an interpreter thread, watched. */
    private RawResult run(GraalPyInterpreter.PythonContext on, String code, String variablesJson) {
        on.out().reset();
        on.err().reset();
        RunWatchdog.Run watched = interpreter.watchdog().start(on.context(), on.out(), on.err(),
                interpreter.runTimeout(), interpreter.maxAllocatedBytes());
        try {
            Value result = on.runner().execute(namespace, code, variablesJson);
            Value payload = result.getArrayElement(1);
            return new RawResult(result.getArrayElement(0).asString(), payload.isNull() ? null : payload.asString(),
                    result.getArrayElement(2).asInt(), on.out().text());
        } catch (PolyglotException e) {
            CodeExecutionException reason = watched.stopReason;
            if (reason != null) {
                throw new StoppedRun(reason, watched.cancelled || e.isCancelled());
            }
            if (e.isResourceExhausted()) {
                throw new StoppedRun(new CodeExecutionException(CodeExecutionException.Kind.MEMORY_LIMIT,
                        "MemoryError", "MemoryError: the code exhausted the JVM's memory or stack and was stopped; "
                        + "make it use less", 0, e), true);
            }
            if (e.isExit() || String.valueOf(e.getMessage()).contains("ThreadDeath")) {
                // os._exit: GraalPy unwinds the context's thread (the test runs the context afterwards,
                // but it is replaced anyway: an exit half-caught by guest code is no state to keep)
                throw new StoppedRun(new CodeExecutionException(CodeExecutionException.Kind.FORBIDDEN, "SystemExit",
                        "SystemExit: the code tried to exit the interpreter; end with a value or SUBMIT instead", 0,
                        e), true);
            }
            if (e.isCancelled() || e.isInterrupted()) {
                throw new StoppedRun(new CodeExecutionException(CodeExecutionException.Kind.TIMEOUT, "TimeoutError",
                        "TimeoutError: the code was stopped", 0, e), true);
            }
            if (e.isGuestException() || e.isHostException() || PythonErrors.isRefusal(e.getMessage())) {
                // a privilege GraalVM refused (processes, threads) surfaces as a host-side exception
                String message = PythonErrors.refusal(String.valueOf(e.getMessage()));
                String type = PythonErrors.isRefusal(message) ? "PermissionError" : "RuntimeError";
                throw new StoppedRun(new CodeExecutionException(PythonErrors.kind(type, message), type,
                        type + ": " + message, 0, e), false);
            }
            throw new DspyException("GraalPy failed outside the submitted code: " + e.getMessage(), e);
        } finally {
            interpreter.watchdog().finish(watched);
        }
    }

    private static CodeResult toResult(RawResult result) {
        int line = result.line();
        String payload = result.payload();
        return switch (result.kind()) {
            case "output" -> {
                if (payload != null) {
                    yield new CodeResult.Output(parse(payload));
                }
                yield new CodeResult.Output(result.printed().isEmpty() ? null : result.printed());
            }
            case "submit" -> new CodeResult.Submitted(parse(String.valueOf(payload)));
            case "syntax" -> throw new CodeExecutionException(CodeExecutionException.Kind.SYNTAX, "SyntaxError",
                    "SyntaxError: " + payload + atLine(line), line);
            default -> {
                String text = String.valueOf(payload);
                int split = text.indexOf('\n');
                String type = text.substring(0, split);
                String message = text.substring(split + 1);
                throw new CodeExecutionException(PythonErrors.kind(type, message), type,
                        type + (message.isEmpty() ? "" : ": " + message) + atLine(line), line);
            }
        };
    }

    /** What the runner returned, copied out of the context on the thread that ran it. */
    private record RawResult(String kind, @Nullable String payload, int line, String printed) {}

    private static String atLine(int line) {
        return line > 0 ? " (line " + line + ")" : "";
    }

    private static @Nullable Object parse(String json) {
        Object value = JSON.readValue(json, Object.class);
        return normalize(value);
    }

    private static @Nullable Object normalize(@Nullable Object value) {
        if (value instanceof Integer i) {
            return i.longValue();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, @Nullable Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), normalize(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(GraalPySession::normalize).toList();
        }
        return value;
    }

    private void replaceContext() {
        interpreter.release(context, false);
        context = interpreter.newContext();
        namespace = newNamespace(context);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        interpreter.release(context, true);
    }

    /** A run the watchdog stopped, carried from the interpreter thread to the caller. */
    private static final class StoppedRun extends RuntimeException {
        private final CodeExecutionException reason;
        private final boolean cancelled;

        StoppedRun(CodeExecutionException reason, boolean cancelled) {
            super(reason.getMessage(), null, false, false);
            this.reason = reason;
            this.cancelled = cancelled;
        }
    }
}
