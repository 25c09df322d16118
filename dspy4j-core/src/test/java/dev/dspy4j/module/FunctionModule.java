package dev.dspy4j.module;

import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A module computed by a function, recording the threads it ran on. */
final class FunctionModule extends Module {

    /** The body of a call; may throw anything. */
    @FunctionalInterface
    interface Body {
        Prediction apply(Example inputs) throws Exception;
    }

    final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final Body body;

    FunctionModule(Body body) {
        this.body = body;
    }

    @Override
    protected Prediction forward(Example inputs) {
        threads.add(Thread.currentThread());
        try {
            return body.apply(inputs);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
