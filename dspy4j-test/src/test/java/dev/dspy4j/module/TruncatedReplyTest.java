package dev.dspy4j.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.dspy4j.adapter.AdapterParseException;
import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Usage;
import dev.dspy4j.testkit.ScriptedLm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A reply cut off at the token limit ({@code finish_reason: "length"}) is not silent: one WARN per
 * LM call in DSPy's words, then the adapter reports the missing fields as usual.
 */
class TruncatedReplyTest {

    private static final String CUT = "[[ ## reasoning ## ]]\nLet me think about this at great len";

    @Test
    void aTruncatedReplyLogsDspysWarningOncePerCallAndTheAdapterReportsTheMissingField() throws IOException {
        ScriptedLm lm = ScriptedLm.responding(request -> new LmResponse(
                Collections.nCopies(3, new Choice(CUT, List.of(), null, "length")), Usage.ZERO, "m", false));
        Predict predict = Predict.of("question -> answer");
        DspyContext context = DspyContext.of(lm).withAdapter(ChatAdapter.withoutFallback())
                .withOptions(LmOptions.NONE.withMaxTokens(4321).withTemperature(0.25).withN(3));

        assertThatThrownBy(() -> predict.call(Map.of("question", "q"), context))
                .isInstanceOf(AdapterParseException.class)
                .hasMessageContaining("Expected to find output fields in the LM response: [answer]");

        List<String> warnings = logLines("max_tokens=4321");
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("WARN").contains(
                "LM response was truncated due to exceeding max_tokens=4321. "
                        + "You can inspect the latest LM interactions with `inspectHistory()`. "
                        + "To avoid truncation, consider passing a larger max_tokens when setting up the LM. "
                        + "You may also consider increasing the temperature (currently 0.25) "
                        + "if the reason for truncation is repetition.");
    }

    @Test
    void aReplyThatStoppedNormallyLogsNothing() throws IOException {
        ScriptedLm lm = ScriptedLm.responding(request -> new LmResponse(
                List.of(new Choice("[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]", List.of(), null, "stop")),
                Usage.ZERO, "m", false));

        Predict.of("question -> answer").call(Map.of("question", "q"),
                DspyContext.of(lm).withOptions(LmOptions.NONE.withMaxTokens(1234)));

        assertThat(logLines("max_tokens=1234")).isEmpty();
    }

    private static List<String> logLines(String marker) throws IOException {
        String logFile = System.getProperty("org.slf4j.simpleLogger.logFile");
        assumeThat(logFile).as("tests run with the module's surefire logging settings").isNotNull();
        return Files.readAllLines(Path.of(logFile), StandardCharsets.UTF_8).stream()
                .filter(line -> line.contains(marker)).toList();
    }
}
