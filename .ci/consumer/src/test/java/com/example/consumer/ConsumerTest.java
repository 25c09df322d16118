package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.module.Predict;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs a Predict the way a user's code does, against the installed dspy4j artifacts, with a lambda
 * as the LM (no network). It uses only {@code Predict.of}, {@code DspyContext.of} and
 * {@code Prediction.getString}, so that it survives changes elsewhere in the API; the LM's type is
 * inferred from {@code DspyContext.of} and not named here at all.
 */
class ConsumerTest {

    @Test
    void predictAnswersFromTheInstalledArtifacts() {
        DspyContext context = DspyContext.of(request -> LmResponse.of("[[ ## answer ## ]]\n4\n\n[[ ## completed ## ]]"));

        String answer = Predict.of("question -> answer").call(Map.of("question", "What is 2 + 2?"), context)
                .getString("answer");

        assertEquals("4", answer);
    }
}
