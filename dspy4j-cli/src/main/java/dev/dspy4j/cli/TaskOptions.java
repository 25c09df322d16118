package dev.dspy4j.cli;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.evaluate.Metric;
import dev.dspy4j.evaluate.Metrics;
import dev.dspy4j.evaluate.Score;
import dev.dspy4j.evaluate.SemanticF1;
import dev.dspy4j.module.Module;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The options {@code evaluate} and {@code optimize} share: which field is gold, which fields are
 * inputs, and the metric by name.
 */
final class TaskOptions {

    /** The metric names {@code --metric} accepts. */
    static final List<String> METRICS = List.of("exact-match", "f1", "semantic-f1");

    @Option(names = "--metric", paramLabel = "NAME", defaultValue = "exact-match",
            description = "exact-match, f1 (token F1) or semantic-f1 (an LM judge; the first input is the question) "
                    + "(default: ${DEFAULT-VALUE})")
    String metric = "exact-match";

    @Option(names = "--field", paramLabel = "NAME",
            description = "the output field compared with the gold value (default: answer, else the program's last output)")
    @Nullable String field;

    @Option(names = "--inputs", paramLabel = "NAMES", split = ",",
            description = "the input fields of each example (default: the inputs of the program's first predictor)")
    @Nullable List<String> inputs;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "8",
            description = "examples run at once (default: ${DEFAULT-VALUE})")
    int concurrency = 8;

    /** The gold field: {@code --field}, else {@code answer} if the program outputs it, else its last output. */
    String field(Module program) {
        if (field != null) {
            return field;
        }
        List<String> outputs = ProgramOptions.outputNames(program);
        if (outputs.isEmpty()) {
            throw CliException.usage("the program has no predictors to take an output field from: give --field");
        }
        return outputs.contains("answer") ? "answer" : outputs.getLast();
    }

    /** The examples with their input keys set; each must hold the gold field. */
    List<Example> examples(List<Example> rows, Module program, String option) {
        List<String> names = inputs != null ? inputs : ProgramOptions.inputNames(program);
        if (names.isEmpty()) {
            throw CliException.usage("say which fields are inputs: --inputs question,context");
        }
        String gold = field(program);
        List<Example> examples = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Example row = rows.get(i);
            for (String name : names) {
                if (!row.has(name)) {
                    throw CliException.input(option + ", example " + (i + 1) + ": no input field \"" + name + "\"");
                }
            }
            if (!row.has(gold)) {
                throw CliException.input(option + ", example " + (i + 1) + ": no gold field \"" + gold
                        + "\" (choose another with --field)");
            }
            examples.add(row.withInputs(names));
        }
        return examples;
    }

    /** The metric, comparing the gold field; {@code semantic-f1} judges with {@code judge}'s LM. */
    Metric metric(Module program, DspyContext judge) {
        String gold = field(program);
        return switch (metric) {
            case "exact-match" -> (example, prediction, context) ->
                    Score.of(Metrics.exactMatch(text(prediction.get(gold)), text(example.get(gold))));
            case "f1" -> (example, prediction, context) ->
                    Score.of(Metrics.tokenF1(text(prediction.get(gold)), text(example.get(gold))));
            case "semantic-f1" -> semanticF1(program, gold, judge);
            default -> throw CliException.usage("--metric " + metric + " is not one of " + String.join(", ", METRICS));
        };
    }

    /**
     * SemanticF1 judging with the context the caller binds while scoring (Evaluate binds the
     * example's, the optimizers their metered one), so that the judge's calls count in the example's
     * usage and in {@code --max-lm-calls}; with {@code judge} where nothing with an LM is bound.
     */
    private Metric semanticF1(Module program, String gold, DspyContext judge) {
        List<String> names = inputs != null ? inputs : ProgramOptions.inputNames(program);
        String question = names.isEmpty() ? "question" : names.getFirst();
        SemanticF1 judgeModule = new SemanticF1();
        return (example, prediction, context) -> {
            DspyContext bound = DspyContext.current();
            return (bound.lm() != null ? bound : judge).get(() -> judgeModule.score(
                    Example.of(Map.of("question", text(example.get(question)), "response", text(example.get(gold)))),
                    Prediction.of(Map.of("response", text(prediction.get(gold)))), context));
        };
    }

    void checkConcurrency() {
        if (concurrency < 1) {
            throw CliException.usage("--concurrency must be 1 or more, got " + concurrency);
        }
        if (!METRICS.contains(metric)) {
            throw CliException.usage("--metric " + metric + " is not one of " + String.join(", ", METRICS));
        }
    }

    private static String text(@Nullable Object value) {
        return value == null ? "" : String.valueOf(value);
    }
}
