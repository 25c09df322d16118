package dev.dspy4j.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.dspy4j.adapter.Adapter;
import dev.dspy4j.adapter.TwoStepAdapter;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.export.ExportedPredictor;
import dev.dspy4j.export.PromptExport;
import dev.dspy4j.export.PromptExportException;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.Message;
import dev.dspy4j.module.Predict;
import dev.dspy4j.provider.OpenAiLm;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.testkit.ScriptedLm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The prompt export's round trip over every golden format case: a {@code Predict} with the case's
 * signature, demos, adapter, options and LM capabilities is exported, and the request rendered from
 * the export for the case's inputs must equal, byte for byte, both the request {@code Predict}
 * sends (captured by {@link ScriptedLm}) and DSPy's messages. The JSON export's string template,
 * filled the way the docs tell another stack to fill it, must give the same final message. Cases
 * with inputs the export refuses (media, History, Tool) must be refused with an error naming the
 * field.
 */
class PromptExportGoldenRoundTripTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\w+)\\}\\}");

    @TestFactory
    Stream<DynamicTest> everyGoldenFormatCaseRendersFromItsExportExactlyAsPredictSendsIt() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path dir : List.of(shared().resolve("golden"), shared().resolve("next").resolve("golden"))) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                    if (rendersARequest(file)) {
                        tests.add(DynamicTest.dynamicTest(file.getFileName().toString(), () -> roundTrip(file)));
                    }
                }
            }
        }
        assertThat(tests).hasSizeGreaterThan(40);
        return tests.stream();
    }

    /** Whether the case is a request-format case: parse and system-message cases have no request to export. */
    @SuppressWarnings("unchecked")
    private static boolean rendersARequest(Path file) throws IOException {
        Map<String, Object> golden = JSON.readValue(file.toFile(), LinkedHashMap.class);
        return !golden.containsKey("lm_response") && golden.get("method") == null;
    }

    @SuppressWarnings("unchecked")
    private static void roundTrip(Path file) throws IOException {
        Map<String, Object> golden = JSON.readValue(file.toFile(), LinkedHashMap.class);
        // given: the case's predictor, run under its adapter, options and LM capabilities
        Signature signature = GoldenSignatures.build((Map<String, Object>) golden.get("signature"));
        Adapter adapter = GoldenAdapters.build((String) golden.get("adapter"), false);
        LmCapabilities capabilities = GoldenCasesTest.capabilities(
                (Map<String, Object>) golden.getOrDefault("lm_capabilities", Map.of()));
        if (golden.get("lm_model") instanceof String model && !model.equals("dummy")) {
            Assumptions.assumeTrue(model.startsWith("anthropic/"), "needs model-specific native features");
            capabilities = capabilities.withCitations(true);
        }
        List<Example> demos = new ArrayList<>();
        for (Object demo : (List<Object>) golden.getOrDefault("demos", List.of())) {
            demos.add(Example.of(GoldenTools.resolve(signature, (Map<String, Object>) demo)));
        }
        Map<String, Object> inputs = GoldenTools.resolve(signature,
                (Map<String, Object>) golden.getOrDefault("inputs", Map.of()));
        LmOptions options = GoldenCasesTest.options((Map<String, Object>) golden.getOrDefault("lm_kwargs_in", Map.of()));
        Predict predict = new Predict(signature).withDemos(demos).withOptions(options);
        ScriptedLm lm = ScriptedLm.replying("not a parsable reply").withCapabilities(capabilities);
        DspyContext context = DspyContext.of(lm).withAdapter(adapter);

        // when: the program is exported
        PromptExport export;
        try {
            export = PromptExport.of(predict, context);
        } catch (PromptExportException refused) {
            // then (refused): only for inputs that are not one text value, and the error names the field
            List<String> nonText = signature.inputs().stream().filter(f -> !isText(f.type())).map(Field::name).toList();
            assertThat(nonText.isEmpty() && !(adapter instanceof TwoStepAdapter))
                    .as("export refused a case with text inputs only: %s", refused.getMessage()).isFalse();
            assertThat(nonText).anySatisfy(name -> assertThat(refused.getMessage()).contains("'" + name + "'"));
            return;
        }
        ExportedPredictor exported = export.predictor("self");
        if (!inputs.keySet().containsAll(signature.inputs().stream().map(Field::name).toList())) {
            PromptExportException missing = catchThrowableOfType(PromptExportException.class,
                    () -> exported.render(inputs));
            assertThat(missing).as("render with an input left out").isNotNull();
            assertThat(missing.getMessage()).contains("Missing input");
            return;
        }
        LmRequest rendered = exported.render(inputs);
        try {
            predict.call(inputs, context);
        } catch (RuntimeException expected) {
            // the reply does not parse: only the request matters here
        }

        // then: the rendered request is the one Predict sent, byte for byte, and DSPy's messages
        LmRequest sent = lm.requests().get(0);
        assertThat(rendered).isEqualTo(sent);
        assertThat(OpenAiLm.wireBody(rendered)).isEqualTo(OpenAiLm.wireBody(sent));
        List<Map<String, Object>> expected = (List<Map<String, Object>>) golden.get("expected_messages");
        List<Map<String, Object>> actual = (List<Map<String, Object>>) OpenAiLm.wireBody(rendered).get("messages");
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i).get("content")).as("content of message %d", i)
                    .isEqualTo(expected.get(i).get("content"));
        }

        // and: the JSON template, filled as docs/export.md tells another stack to, gives the same text
        Map<String, Object> json = JSON.readValue(export.toJson(), LinkedHashMap.class);
        Map<String, Object> entry = (Map<String, Object>) ((Map<String, Object>) json.get("predictors")).get("self");
        String filled = fill((String) entry.get("user_template"), exported, inputs);
        Message last = sent.messages().get(sent.messages().size() - 1);
        assertThat(filled).isEqualTo(last.text());
        assertThat((List<Object>) entry.get("messages")).hasSize(sent.messages().size() - 1);
    }

    /** The documented single-pass substitution of {@code {{name}}} placeholders. */
    private static String fill(String template, ExportedPredictor exported, Map<String, Object> inputs) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String value = inputs.containsKey(name) ? exported.formatValue(name, inputs.get(name)) : matcher.group();
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static boolean isText(FieldType type) {
        return switch (type) {
            case FieldType.SpecialType s -> s.kind() == FieldType.SpecialType.Kind.REASONING;
            case FieldType.Custom c -> false;
            case FieldType.ListType l -> isText(l.element());
            case FieldType.OptionalType o -> isText(o.inner());
            case FieldType.DictType d -> isText(d.key()) && isText(d.value());
            default -> true;
        };
    }

    private static Path shared() {
        String configured = System.getProperty("dspy4j.shared");
        for (Path candidate : configured != null && !configured.isBlank() ? List.of(Path.of(configured))
                : List.of(Path.of("../../shared"), Path.of("../shared"))) {
            if (Files.isDirectory(candidate.resolve("golden"))) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("Golden cases not found; set -Ddspy4j.shared=/path/to/shared.");
    }

}
