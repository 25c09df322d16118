package dev.dspy4j.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.testkit.ScriptedLm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * A run where two sibling candidates each fix one predictor, so merging them fixes both: the
 * engine schedules the merge after an accepted child, scores it on a valset subsample, keeps it
 * and scores it on the whole valset.
 */
class GepaMergeRunTest {

    /** Draft, then answer. */
    static final class TwoSteps extends Module {
        final Predict first = Predict.of("question -> draft");
        final Predict second = Predict.of("question, draft -> answer");

        @Override
        protected Prediction forward(Example inputs) {
            String question = inputs.getString("question");
            Map<String, Object> in = new LinkedHashMap<>();
            in.put("question", question);
            in.put("draft", first.call(Map.of("question", question)).getString("draft"));
            return second.call(in);
        }
    }

    /**
     * Questions by number mod 4: 0 always right; 1 right while the draft step lacks "[A]"; 2 right
     * once it has it; 3 right once the answer step has "[B]".
     */
    static ScriptedLm taskLm() {
        return ScriptedLm.answering(request -> {
            String system = request.messages().get(0).text();
            String user = request.messages().get(request.messages().size() - 1).text();
            int n = Fixtures.number(Fixtures.question(request));
            if (!user.contains("[[ ## draft ## ]]\n") || user.indexOf("[[ ## draft ## ]]") > user.indexOf("Respond")) {
                return ScriptedLm.chatCompletion(Map.of("draft", system.contains("[A]") ? "A" : "-"));
            }
            boolean draftA = user.contains("[[ ## draft ## ]]\nA\n");
            boolean right = switch (n % 4) {
                case 0 -> true;
                case 1 -> !draftA;
                case 2 -> draftA;
                default -> system.contains("[B]");
            };
            return Fixtures.reply(right ? "a" + n : "wrong");
        });
    }

    static ScriptedLm reflectionLm() {
        return ScriptedLm.answering(request -> {
            String prompt = request.messages().get(0).text();
            return prompt.contains("### draft\n") && prompt.contains("## Generated Outputs\n### answer")
                    ? "```\nAnswer [B]\n```" : "```\nDraft [A]\n```";
        });
    }

    static GepaResult run(long seed, boolean merge) {
        List<Example> train = Fixtures.trainset(12);
        List<Example> val = new ArrayList<>(Fixtures.trainset(24).subList(12, 24));
        return Gepa.builder().metric(Fixtures.EXACT).reflectionLm(reflectionLm()).maxMetricCalls(200).seed(seed)
                .useMerge(merge).build().optimize(new TwoSteps(), train, val, DspyContext.of(taskLm()));
    }

    @Test
    void siblingsThatEachFixedOnePredictorAreMerged() {
        GepaResult result = run(0, true);

        // candidates 1 (draft fixed) and 3 (answer fixed) are siblings; 2 is 1's child with both
        // fixed; the merge of 2 and 3 (common ancestor 0) takes "first" from 2, which changed it
        assertThat(result.parents().subList(0, 5)).containsExactly(List.of(), List.of(0), List.of(1), List.of(0),
                List.of(2, 3));
        assertThat(result.candidates().get(4)).containsEntry("first", "Draft [A]").containsEntry("second", "Answer [B]");
        // it was scored on a 5-example valset subsample, then on the whole valset (12)
        assertThat(result.discoveryEvalCounts().get(4)).isEqualTo(result.discoveryEvalCounts().get(3) + 12 + 5);
        assertThat(result.valSubscores().get(4)).isEqualTo(result.valSubscores().get(2));
    }

    @Test
    void withoutMergeNoCandidateHasTwoParentsAndTheRunIsReproducible() {
        GepaResult plain = run(0, false);
        assertThat(plain.parents()).allMatch(p -> p.size() <= 1);
        GepaResult again = run(0, false);
        assertThat(again.candidates()).isEqualTo(plain.candidates());
        assertThat(again.valSubscores()).isEqualTo(plain.valSubscores());
        assertThat(again.discoveryEvalCounts()).isEqualTo(plain.discoveryEvalCounts());
    }
}
