package dev.dspy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.examples.ClassifySupport.Category;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ClassifySupportExampleTest {

    @Test
    void classifiesTheSampleTicketAndPrintsThePrompt() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        var triage = ClassifySupportExample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(triage.category()).isEqualTo(Category.BILLING);
        assertThat(printed).contains("category:  billing");
        assertThat(printed).contains("2. `category` (Category): the queue to route to");
        assertThat(printed).contains("must be one of: billing; technical; account");
        assertThat(printed).contains("Classify a customer support ticket.");
    }
}
