package dev.dspy4j.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dspy4j.adapter.Adapter;
import dev.dspy4j.adapter.AdapterParseException;
import dev.dspy4j.adapter.AdapterRequest;
import dev.dspy4j.data.Example;
import dev.dspy4j.internal.python.PythonValues;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.provider.OpenAiLm;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.signature.SignatureException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs every golden case in {@code shared/golden/*.json} and {@code shared/next/golden/*.json}
 * (reference §10): one dynamic test per file, named after it ({@code next/...} for the second
 * folder), so cases added later run without code changes.
 *
 * <p>Format cases compare the adapter's messages (role and content, byte for byte) and the LM
 * options it prepares; parse cases compare the parsed outputs (as JSON values, ints and floats
 * kept apart as in Python) or the exact parse error. The adapter is built from the case's
 * Python expression by {@link GoldenAdapters}. Cases that need features not built yet (none at the moment)
 * are reported as skipped with the reason. Tool-call cases compare the assistant
 * messages' {@code tool_calls} and the tool messages' {@code tool_call_id} and {@code name} too. Tool inputs are given as descriptors (name, desc, args) and become schema tools
 * ({@link GoldenTools}).
 */
class GoldenCasesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Special types not built yet, with the feature each belongs to (named in the skip reason). */
    private static final Map<FieldType.SpecialType.Kind, String> NOT_YET_SUPPORTED = Map.of();

    /** Type names the signature parser does not know yet, by the feature they belong to. */
    private static final Map<String, String> NOT_BUILT_TYPES = Map.of();

    @TestFactory
    Stream<DynamicTest> goldenCases() throws IOException {
        Path shared = sharedDirectory();
        List<Path> files = cases(shared.resolve("golden"));
        if (files.isEmpty()) {
            fail("No golden cases (*.json) in " + shared.resolve("golden"));
        }
        Path next = shared.resolve("next").resolve("golden");
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : files) {
            tests.add(DynamicTest.dynamicTest(file.getFileName().toString(), file.toUri(), () -> runCase(file)));
        }
        if (Files.isDirectory(next)) {
            for (Path file : cases(next)) {
                tests.add(DynamicTest.dynamicTest("next/" + file.getFileName(), file.toUri(), () -> runCase(file)));
            }
        }
        return tests.stream();
    }

    private static List<Path> cases(Path dir) throws IOException {
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }

    private static Path sharedDirectory() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getProperty("dspy4j.shared");
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        candidates.add(Path.of("../../shared"));
        candidates.add(Path.of("../shared"));
        for (Path candidate : candidates) {
            if (Files.isDirectory(candidate.resolve("golden"))) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("Golden cases not found; looked for golden/ in " + candidates.stream()
                .map(p -> p.toAbsolutePath().normalize().toString()).toList()
                + ". Set -Ddspy4j.shared=/path/to/shared.");
    }

    @SuppressWarnings("unchecked")
    private static void runCase(Path file) throws IOException {
        Map<String, Object> golden = JSON.readValue(file.toFile(), LinkedHashMap.class);
        Signature signature = signature((Map<String, Object>) golden.get("signature"));
        Map<String, Object> capabilitiesJson = (Map<String, Object>) golden.getOrDefault("lm_capabilities", Map.of());
        skipIfUnsupported(signature);
        Adapter adapter = GoldenAdapters.build((String) golden.get("adapter"), golden.containsKey("lm_response"));
        LmCapabilities capabilities = capabilities(capabilitiesJson);
        if (golden.get("lm_model") instanceof String model && !model.equals("dummy")) {
            if (!model.startsWith("anthropic/")) {
                Assumptions.abort("needs model-specific native features for " + model + ", not built yet");
            }
            // DSPy turns native citations on by the model name; dspy4j by the LM's capabilities
            capabilities = capabilities.withCitations(true);
        }
        String method = (String) golden.get("method");

        if (golden.containsKey("lm_response")) {
            runParseCase(golden, signature, adapter);
        } else if ("adapter.format_system_message(signature)".equals(method)) {
            List<Map<String, Object>> expected = (List<Map<String, Object>>) golden.get("expected_messages");
            assertThat(expected).hasSize(1);
            assertThat(adapter.formatSystemMessage(signature)).isEqualTo(expected.get(0).get("content"));
        } else if (method == null) {
            runFormatCase(golden, signature, adapter, capabilities);
        } else {
            fail("Unknown method '" + method + "' in " + file.getFileName());
        }
    }

    @SuppressWarnings("unchecked")
    private static void runFormatCase(Map<String, Object> golden, Signature signature, Adapter adapter,
                                      LmCapabilities capabilities) {
        List<Example> demos = new ArrayList<>();
        for (Object demo : (List<Object>) golden.getOrDefault("demos", List.of())) {
            demos.add(Example.of(GoldenTools.resolve(signature, (Map<String, Object>) demo)));
        }
        Map<String, Object> inputs = GoldenTools.resolve(signature,
                (Map<String, Object>) golden.getOrDefault("inputs", Map.of()));
        LmOptions options = options((Map<String, Object>) golden.getOrDefault("lm_kwargs_in", Map.of()));
        LmRequest prepared = adapter.formatRequest(new AdapterRequest(signature, demos, inputs, options), capabilities);
        // the messages as DSPy hands them to litellm: OpenAI's shapes (content parts for media)
        List<Map<String, Object>> actual = (List<Map<String, Object>>) OpenAiLm.wireBody(prepared).get("messages");
        List<Map<String, Object>> expected = (List<Map<String, Object>>) golden.get("expected_messages");
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i).get("role")).as("role of message %d", i).isEqualTo(expected.get(i).get("role"));
            assertThat(actual.get(i).get("content")).as("content of message %d (%s)", i, expected.get(i).get("role"))
                    .isEqualTo(expected.get(i).get("content"));
            for (String key : List.of("tool_calls", "tool_call_id", "name")) {
                assertThat(plain(actual.get(i).get(key))).as("%s of message %d", key, i)
                        .isEqualTo(plain(expected.get(i).get(key)));
            }
        }
        if (golden.containsKey("expected_lm_kwargs")) {
            Map<String, Object> kwargs = new LinkedHashMap<>(OpenAiLm.wireBody(prepared));
            kwargs.remove("messages");
            assertThat(plain(kwargs)).as("LM keyword arguments").isEqualTo(plain(golden.get("expected_lm_kwargs")));
        }
    }

    @SuppressWarnings("unchecked")
    private static void runParseCase(Map<String, Object> golden, Signature signature, Adapter adapter) {
        String response = (String) golden.get("lm_response");
        Map<String, Object> expectedError = (Map<String, Object>) golden.get("expected_error");
        if (expectedError == null) {
            Map<String, Object> outputs = adapter.parse(signature, response);
            Object expected = plain(golden.get("expected_outputs"));
            Object actual = plain(outputs);
            assertThat(actual).isEqualTo(expected);
            assertThat(new ArrayList<>(((Map<String, Object>) actual).keySet()))
                    .as("output order").isEqualTo(new ArrayList<>(((Map<String, Object>) expected).keySet()));
            return;
        }
        assertThat(expectedError.get("type")).isEqualTo("AdapterParseError");
        AdapterParseException error = catchThrowableOfType(AdapterParseException.class,
                () -> adapter.parse(signature, response));
        assertThat(error).as("expected an AdapterParseException").isNotNull();
        assertThat(error.getMessage()).isEqualTo(expectedError.get("message"));
        assertThat(error.adapterName()).isEqualTo(expectedError.get("adapter_name"));
        assertThat(error.lmResponse()).isEqualTo(expectedError.get("lm_response"));
        assertThat(plain(error.parsedResult())).isEqualTo(plain(expectedError.get("parsed_result")));
    }

    /** The case's signature; a type of a feature not built yet skips the case. */
    @SuppressWarnings("unchecked")
    private static Signature signature(Map<String, Object> json) {
        try {
            return GoldenSignatures.build(json);
        } catch (SignatureException e) {
            List<String> typeNames = new ArrayList<>();
            for (Object field : (List<Object>) json.get("fields")) {
                typeNames.add(String.valueOf(((Map<String, Object>) field).get("type")));
            }
            typeNames.add(String.valueOf(json.get("types")));
            for (Map.Entry<String, String> notBuilt : NOT_BUILT_TYPES.entrySet()) {
                if (typeNames.stream().anyMatch(type -> type.contains(notBuilt.getKey()))) {
                    Assumptions.abort("needs " + notBuilt.getValue() + ", not built yet (" + e.getMessage() + ")");
                }
            }
            throw e;
        }
    }

    private static void skipIfUnsupported(Signature signature) {
        for (Field field : signature.fields()) {
            FieldType.SpecialType.Kind kind = unsupportedKind(field.type());
            if (kind != null) {
                Assumptions.abort("needs " + NOT_YET_SUPPORTED.get(kind) + " for field '" + field.name()
                        + "', not built yet");
            }
        }
    }

    private static FieldType.SpecialType.Kind unsupportedKind(FieldType type) {
        return switch (type) {
            case FieldType.SpecialType s -> NOT_YET_SUPPORTED.containsKey(s.kind()) ? s.kind() : null;
            case FieldType.ListType l -> unsupportedKind(l.element());
            case FieldType.DictType d -> unsupportedKind(d.value());
            case FieldType.OptionalType o -> unsupportedKind(o.inner());
            case FieldType.RecordType r -> r.fields().values().stream().map(GoldenCasesTest::unsupportedKind)
                    .filter(k -> k != null).findFirst().orElse(null);
            default -> null;
        };
    }

    /**
     * The LM keyword arguments a case passes into the adapter call ({@code lm_kwargs_in}): typed
     * options where dspy4j has them, the rest (tools, tool choice, ...) as extra options under
     * their wire names, which is how a caller passes them through a predictor's options.
     */
    static LmOptions options(Map<String, Object> kwargs) {
        LmOptions options = LmOptions.NONE;
        for (Map.Entry<String, Object> e : kwargs.entrySet()) {
            options = switch (e.getKey()) {
                case "temperature" -> options.withTemperature(((Number) e.getValue()).doubleValue());
                case "max_tokens" -> options.withMaxTokens(((Number) e.getValue()).intValue());
                default -> options.withExtra(e.getKey(), e.getValue());
            };
        }
        return options;
    }

    @SuppressWarnings("unchecked")
    static LmCapabilities capabilities(Map<String, Object> json) {
        boolean functionCalling = false;
        boolean reasoning = false;
        boolean responseSchema = false;
        Set<String> params = new HashSet<>();
        for (Map.Entry<String, Object> e : json.entrySet()) {
            switch (e.getKey()) {
                case "supports_function_calling" -> functionCalling = Boolean.TRUE.equals(e.getValue());
                case "supports_reasoning" -> reasoning = Boolean.TRUE.equals(e.getValue());
                case "supports_response_schema" -> responseSchema = Boolean.TRUE.equals(e.getValue());
                case "supported_params" -> params.addAll((List<String>) e.getValue());
                default -> throw new AssertionError("Unknown lm_capabilities key '" + e.getKey() + "'");
            }
        }
        return new LmCapabilities(functionCalling, reasoning, responseSchema, params);
    }

    /** A value as Python would compare it after a JSON round trip: integers as Long, floats as Double. */
    private static Object plain(Object value) {
        Object jsonable = PythonValues.toJsonable(value);
        if (jsonable instanceof BigInteger b && b.bitLength() < 64) {
            return b.longValue();
        }
        return jsonable;
    }
}
