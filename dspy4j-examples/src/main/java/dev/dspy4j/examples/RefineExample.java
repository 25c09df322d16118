package dev.dspy4j.examples;

import dev.dspy4j.DspyException;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.module.BestOfN;
import dev.dspy4j.module.Predict;
import dev.dspy4j.module.Refine;
import dev.dspy4j.module.RewardFunction;
import dev.dspy4j.signature.Signature;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@link BestOfN} and {@link Refine} over a small extraction task: given the catalogue lines that
 * match a product, answer with its SKU alone. The reward is 1.0 only for a bare SKU such as
 * {@code LMP-01}, so a chatty answer ("The lamp is LMP-01") is retried: BestOfN simply samples
 * again at another rollout id, Refine first asks the LM why the attempt fell short and passes the
 * advice to the retry as a {@code hint_} input. Prints both answers.
 *
 * <p>The model comes from {@code DSPY4J_MODEL} and the provider's usual variables, as in
 * {@link Quickstart}. Exit status: 0 on success, 2 when nothing is configured, 1 when every
 * attempt failed (the provider failing, for example).
 */
public final class RefineExample {

    static final String QUESTION = "What is the SKU of the brass desk lamp?";

    /** A SKU: three capital letters, a dash and two digits. */
    private static final Pattern SKU = Pattern.compile("[A-Z]{3}-\\d{2}");

    /** 1.0 for a bare SKU, else 0.0. */
    static final RewardFunction BARE_SKU = (inputs, prediction) ->
            SKU.matcher(prediction.getString("sku").strip()).matches() ? 1.0 : 0.0;

    private RefineExample() {}

    /** Entry point; exits with the status described in the class comment. */
    public static void main(String[] args) {
        System.exit(run(System.getenv(), System.out, System.err));
    }

    /** The predictor both modules retry. */
    static Predict answerer() {
        return new Predict(Signature.parse("products: list[str], question -> sku")
                .withInstructions("Answer the question from the catalogue lines."));
    }

    /** Up to 3 samples, stopping at the first bare SKU. */
    static BestOfN bestOfN() {
        return BestOfN.of(answerer(), 3, BARE_SKU, 1.0);
    }

    /** Up to 3 attempts with feedback in between; the LM is told what the program and the reward are. */
    static Refine refine() {
        return Refine.builder(answerer(), 3, BARE_SKU, 1.0)
                .programCode("Predict(\"products: list[str], question -> sku\"): answers from catalogue lines")
                .rewardCode("1.0 if the sku output is a bare SKU matching [A-Z]{3}-\\d{2} (e.g. LMP-01), else 0.0")
                .build();
    }

    /**
     * Runs the example.
     *
     * @param environment where the model name, keys and base URLs are read from
     * @param out where results go
     * @param err where problems go
     * @return the exit status
     */
    public static int run(Map<String, String> environment, PrintStream out, PrintStream err) {
        Optional<Lm> configured = ExampleLm.fromEnvironment(environment, err);
        if (configured.isEmpty()) {
            return 2;
        }
        List<String> products = ProductCatalogue.load().findProducts("lamp");
        Map<String, Object> inputs = Map.of("products", products, "question", QUESTION);
        DspyContext context = DspyContext.of(configured.get());
        Prediction best;
        Prediction refined;
        try {
            best = bestOfN().call(inputs, context);
            refined = refine().call(inputs, context);
        } catch (DspyException e) {
            err.println("Every attempt failed: " + e.getMessage());
            return 1;
        }
        out.println("question: " + QUESTION);
        out.println("BestOfN:  " + best.getString("sku"));
        out.println("Refine:   " + refined.getString("sku"));
        return 0;
    }
}
