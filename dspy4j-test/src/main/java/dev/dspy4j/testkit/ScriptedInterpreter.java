package dev.dspy4j.testkit;

import dev.dspy4j.DspyException;
import dev.dspy4j.module.CodeExecutionException;
import dev.dspy4j.module.CodeInterpreter;
import dev.dspy4j.module.CodeResult;
import dev.dspy4j.module.CodeSession;
import dev.dspy4j.tool.Tool;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An offline {@link CodeInterpreter} for tests, like DSPy's {@code MockInterpreter}: it expects
 * code in a scripted order and answers each with a scripted result or error, failing clearly when
 * the code differs from the script. Records every execution.
 *
 * <pre>{@code
 * ScriptedInterpreter python = ScriptedInterpreter.create()
 *         .expect("x = 7\nSUBMIT({'answer': x * 6})", new CodeResult.Submitted(Map.of("answer", 42)))
 *         .expectError("y", "NameError", "NameError: name 'y' is not defined");
 * }</pre>
 *
 * <p>Thread-safe; sessions share one script.
 */
public final class ScriptedInterpreter implements CodeInterpreter {

    private record Step(String code, CodeResult result, CodeExecutionException error) {}

    private final Deque<Step> script = new ArrayDeque<>();
    private final List<String> executed = Collections.synchronizedList(new ArrayList<>());
    private final List<List<Tool>> sessionTools = Collections.synchronizedList(new ArrayList<>());

    private ScriptedInterpreter() {}

    /** An interpreter with an empty script. */
    public static ScriptedInterpreter create() {
        return new ScriptedInterpreter();
    }

    /** Expects {@code code} next and answers with {@code result}. */
    public synchronized ScriptedInterpreter expect(String code, CodeResult result) {
        script.add(new Step(Objects.requireNonNull(code, "code"), Objects.requireNonNull(result, "result"), null));
        return this;
    }

    /** Expects {@code code} next and fails it with a runtime error of this Python type and message. */
    public synchronized ScriptedInterpreter expectError(String code, String errorType, String message) {
        script.add(new Step(Objects.requireNonNull(code, "code"), null,
                new CodeExecutionException(CodeExecutionException.Kind.RUNTIME, errorType, message, 0)));
        return this;
    }

    /** The code executed so far, in order. */
    public List<String> executed() {
        return List.copyOf(executed);
    }

    /** The tools each session was opened with, in order of opening. */
    public List<List<Tool>> sessionTools() {
        return List.copyOf(sessionTools);
    }

    /** The scripted executions not made yet. */
    public synchronized int remaining() {
        return script.size();
    }

    @Override
    public CodeSession openSession(List<Tool> tools) {
        sessionTools.add(List.copyOf(tools));
        return new CodeSession() {
            @Override
            public CodeResult execute(String code, Map<String, ?> variables) {
                return next(code);
            }

            @Override
            public void close() {}
        };
    }

    private synchronized CodeResult next(String code) {
        executed.add(code);
        Step step = script.poll();
        if (step == null) {
            throw new DspyException("ScriptedInterpreter has no execution left, but got:\n" + code
                    + "\nAdd it to the script with expect(...).");
        }
        if (!step.code().equals(code)) {
            throw new DspyException("ScriptedInterpreter expected the code:\n" + step.code() + "\nbut got:\n" + code);
        }
        if (step.error() != null) {
            throw step.error();
        }
        return step.result();
    }

    @Override
    public void close() {}
}
