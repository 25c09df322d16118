package dev.dspy4j.optimize;

import dev.dspy4j.data.Example;
import dev.dspy4j.evaluate.Metric;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.testkit.ScriptedLm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Shared test data: questions {@code q1…qN} whose answers are {@code a1…aN}. */
final class Fixtures {

    private Fixtures() {}

    static final Metric EXACT = Metric.of((ex, pred) -> ex.get("answer").equals(pred.get("answer")));

    static List<Example> trainset(int n) {
        List<Example> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(Example.of("question", "q" + i, "answer", "a" + i).withInputs("question"));
        }
        return List.copyOf(out);
    }

    /** The question of the request's last (current) user message. */
    static String question(LmRequest request) {
        String last = request.messages().get(request.messages().size() - 1).text();
        int start = last.indexOf("[[ ## question ## ]]\n") + "[[ ## question ## ]]\n".length();
        int end = last.indexOf('\n', start);
        return last.substring(start, end < 0 ? last.length() : end);
    }

    static int number(String question) {
        return Integer.parseInt(question.replaceAll("\\D", ""));
    }

    static String reply(String answer) {
        return ScriptedLm.chatCompletion(Map.of("answer", answer));
    }

    /** An LM that answers {@code aN} when {@code correct} holds for the request, else "wrong". */
    static ScriptedLm answering(Function<LmRequest, Boolean> correct) {
        return ScriptedLm.answering(request -> {
            String q = question(request);
            return reply(correct.apply(request) ? "a" + number(q) : "wrong");
        });
    }

    /** An LM that answers odd-numbered questions correctly. */
    static ScriptedLm oddCorrect() {
        return answering(request -> number(question(request)) % 2 == 1);
    }

    static Example demo(int i) {
        return Example.of("augmented", true, "question", "q" + i, "answer", "a" + i);
    }

    static Object questionOf(Example demo) {
        return demo.get("question");
    }
}
