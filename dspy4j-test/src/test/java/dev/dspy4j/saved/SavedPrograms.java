package dev.dspy4j.saved;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.Message;
import dev.dspy4j.module.BestOfN;
import dev.dspy4j.module.ChainOfThought;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.MultiChainComparison;
import dev.dspy4j.module.Predict;
import dev.dspy4j.module.ProgramOfThought;
import dev.dspy4j.module.CodeInterpreter;
import dev.dspy4j.module.CodeResult;
import dev.dspy4j.module.CodeSession;
import dev.dspy4j.testkit.ScriptedInterpreter;
import dev.dspy4j.module.ReAct;
import dev.dspy4j.module.Refine;
import dev.dspy4j.module.RewardFunction;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.signature.TypeRegistry;
import dev.dspy4j.tool.Tool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the programs DSPy 3.3.1 saved under {@code shared/dspy-saved/} and rebuilds them in Java
 * from their {@code structure.json}. Shared by the saved-program tests of this package.
 */
final class SavedPrograms {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private SavedPrograms() {}

    // ---------------------------------------------------------------- locating and reading files

    /** The {@code dspy-saved} directory: {@code -Ddspy4j.shared}, else {@code ../../shared}, else {@code ../shared}. */
    static Path directory() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getProperty("dspy4j.shared");
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        candidates.add(Path.of("../../shared"));
        candidates.add(Path.of("../shared"));
        for (Path shared : candidates) {
            Path saved = shared.resolve("dspy-saved");
            if (Files.isDirectory(saved)) {
                return saved.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("Cannot find the dspy-saved directory; looked for dspy-saved under "
                + candidates.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList()
                + ". Run from the repository with ../shared beside it, or pass -Ddspy4j.shared=/path/to/shared.");
    }

    /** Every program folder (one per saved program), sorted by name. */
    static List<Path> folders() {
        List<Path> folders = foldersIn(directory());
        if (folders.isEmpty()) {
            throw new IllegalStateException("No saved-program folders in " + directory());
        }
        return folders;
    }

    /**
     * The program folders captured from DSPy for features still being built
     * ({@code shared/next/dspy-saved}), sorted by name; none if that directory is absent.
     */
    static List<Path> nextFolders() {
        Path next = directory().getParent().resolve("next").resolve("dspy-saved");
        return Files.isDirectory(next) ? foldersIn(next) : List.of();
    }

    private static List<Path> foldersIn(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The module types a structure tree uses ({@code Predict}, {@code ReAct}, {@code custom}, ...). */
    static Set<String> moduleTypes(Object node) {
        Set<String> types = new TreeSet<>();
        collectModuleTypes(node, types);
        return types;
    }

    private static final Set<String> TOOL_KEYS = Set.of("tools", "finish_tool", "tool_types");

    private static void collectModuleTypes(Object node, Set<String> types) {
        if (node instanceof List<?> items) {
            items.forEach(item -> collectModuleTypes(item, types));
        } else if (node instanceof Map<?, ?> map && !map.containsKey("io")) { // fields have "io" and a value type
            if (map.get("type") instanceof String type) {
                types.add(type);
            }
            // tool descriptors hold JSON schemas, whose "type" is no module type
            map.forEach((key, child) -> {
                if (!TOOL_KEYS.contains(key)) {
                    collectModuleTypes(child, types);
                }
            });
        }
    }

    static Path folder(String name) {
        Path folder = directory().resolve(name);
        if (!Files.isDirectory(folder)) {
            throw new IllegalStateException("No saved-program folder " + folder);
        }
        return folder;
    }

    static String text(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Object read(Path file) {
        return JSON.readValue(text(file), Object.class);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    static List<Map<String, Object>> objects(Object value) {
        return list(value).stream().map(SavedPrograms::object).toList();
    }

    static Map<String, Object> readObject(Path file) {
        return object(read(file));
    }

    static List<Map<String, Object>> readObjects(Path file) {
        return objects(read(file));
    }

    // ---------------------------------------------------------------- signatures

    /**
     * Builds a signature from the golden-case schema ({@code name}, {@code instructions} (null =
     * DSPy's default), {@code fields[{name, io, type, desc}]}, {@code types}, and {@code shorthand}
     * for string signatures, which is then parsed as DSPy parsed it).
     */
    static Signature signature(Map<String, Object> schema) {
        TypeRegistry types = types(schema.get("types"));
        String instructions = (String) schema.get("instructions");
        String shorthand = (String) schema.get("shorthand");
        Signature signature;
        if (shorthand != null) {
            signature = Signature.parse(shorthand, types);
            for (Map<String, Object> field : objects(schema.get("fields"))) {
                String desc = (String) field.get("desc");
                if (desc != null) {
                    signature = signature.withField((String) field.get("name"), f -> f.withDescription(desc));
                }
            }
            if (instructions != null) {
                signature = signature.withInstructions(instructions);
            }
        } else {
            List<Field> fields = new ArrayList<>();
            for (Map<String, Object> field : objects(schema.get("fields"))) {
                String name = (String) field.get("name");
                FieldType type = types.parseType((String) field.get("type"));
                Field built = "input".equals(field.get("io")) ? Field.input(name, type) : Field.output(name, type);
                fields.add(built.withDescription((String) field.get("desc")));
            }
            signature = Signature.of(instructions, fields);
        }
        String name = (String) schema.get("name");
        return name == null ? signature : signature.withName(name);
    }

    /** Named types of the golden-case schema: {@code {"Label": {"enum": {...}}}} or a model's fields. */
    private static TypeRegistry types(Object raw) {
        TypeRegistry registry = TypeRegistry.EMPTY;
        if (raw == null) {
            return registry;
        }
        for (Map.Entry<String, Object> entry : object(raw).entrySet()) {
            Map<String, Object> spec = object(entry.getValue());
            if (spec.containsKey("enum") && spec.get("enum") instanceof Map<?, ?> members) {
                Map<String, String> values = new LinkedHashMap<>();
                members.forEach((k, v) -> values.put(String.valueOf(k), String.valueOf(v)));
                registry = registry.with(entry.getKey(), new FieldType.EnumType(entry.getKey(), values, null));
            } else {
                Map<String, FieldType> fields = new LinkedHashMap<>();
                for (Map.Entry<String, Object> field : spec.entrySet()) {
                    fields.put(field.getKey(), registry.parseType((String) field.getValue()));
                }
                registry = registry.with(entry.getKey(), new FieldType.RecordType(entry.getKey(), fields, null));
            }
        }
        return registry;
    }

    /** What the golden-case schema says about a field; prefixes and the "type declared" flag are not in it. */
    record FieldView(String name, String io, String type, String desc) {}

    /** What the golden-case schema says about a signature. */
    record SignatureView(String instructions, List<FieldView> fields) {}

    static SignatureView view(Signature signature) {
        List<FieldView> fields = signature.fields().stream()
                .map(f -> new FieldView(f.name(), f.isInput() ? "input" : "output", f.type().pythonName(),
                        f.description()))
                .toList();
        return new SignatureView(signature.instructions(), fields);
    }

    /** The schema as written, with a null instruction resolved to DSPy's default. */
    static SignatureView view(Map<String, Object> schema) {
        List<FieldView> fields = objects(schema.get("fields")).stream()
                .map(f -> new FieldView((String) f.get("name"), (String) f.get("io"), (String) f.get("type"),
                        (String) f.get("desc")))
                .toList();
        String instructions = (String) schema.get("instructions");
        return new SignatureView(instructions != null ? instructions : signature(schema).instructions(), fields);
    }

    // ---------------------------------------------------------------- modules

    /**
     * Builds the program a {@code structure.json} node describes. Predict and ChainOfThought nodes
     * become the real classes; a custom node becomes a {@link GenericProgram} declaring its
     * attributes in order. The code-level signature of every Predict node is checked on the way.
     */
    static Module build(Map<String, Object> node) {
        return build(node, new ScriptedTools());
    }

    /**
     * Builds the program a node describes, with the tools of ReAct nodes answering from
     * {@code script}.
     */
    static Module build(Map<String, Object> node, ScriptedTools script) {
        String type = (String) node.get("type");
        return switch (type) {
            case "ReAct" -> {
                List<Tool> tools = objects(node.get("tools")).stream().map(script::tool).toList();
                ReAct react = ReAct.builder(signature(object(node.get("signature"))), tools)
                        .maxIters(((Number) node.get("max_iters")).intValue())
                        .build();
                Map<String, Object> finish = object(node.get("finish_tool"));
                Tool builtFinish = react.tools().get(ReAct.FINISH);
                assertThat(List.of(builtFinish.name(), builtFinish.desc(), builtFinish.args()))
                        .as("ReAct's finish tool").isEqualTo(List.of(finish.get("name"), finish.get("desc"),
                                finish.get("args")));
                Map<String, Object> extractNode = object(object(node.get("children")).get("extract"));
                assertThat(view(react.extract().predict().signature()))
                        .as("ReAct's extract signature")
                        .isEqualTo(view(object(object(object(extractNode.get("children")).get("predict"))
                                .get("signature"))));
                yield react;
            }
            case "ProgramOfThought" -> {
                ProgramOfThought pot = ProgramOfThought.of(signature(object(node.get("signature"))),
                        ((Number) node.get("max_iters")).intValue(), script.interpreter());
                object(node.get("children")).forEach((name, child) -> {
                    Map<String, Object> predictNode = object(object(object(child).get("children")).get("predict"));
                    assertThat(view(pot.namedPredictors().get(name + ".predict").signature()))
                            .as("ProgramOfThought's %s signature", name)
                            .isEqualTo(view(object(predictNode.get("signature"))));
                });
                yield pot;
            }
            case "Predict" -> new Predict(signature(object(node.get("signature"))));
            case "ChainOfThought" -> {
                ChainOfThought cot = new ChainOfThought(signature(object(node.get("base_signature"))));
                Map<String, Object> predictNode = object(object(node.get("children")).get("predict"));
                assertThat(view(cot.predict().signature()))
                        .as("ChainOfThought's predict signature for %s", predictNode.get("path"))
                        .isEqualTo(view(object(predictNode.get("signature"))));
                yield cot;
            }
            case "custom" -> {
                Map<String, Object> children = new LinkedHashMap<>();
                object(node.get("children")).forEach((name, child) -> children.put(name, buildChild(child, script)));
                yield "BestAndRefine".equals(node.get("class")) ? new BestAndRefine(children)
                        : new GenericProgram((String) node.get("class"), children);
            }
            case "MultiChainComparison" -> {
                Map<String, Object> predictNode = object(object(node.get("children")).get("predict"));
                double temperature = ((Number) object(predictNode.get("config")).get("temperature")).doubleValue();
                MultiChainComparison mcc = new MultiChainComparison(signature(object(node.get("base_signature"))),
                        ((Number) node.get("M")).intValue(), temperature);
                assertThat(view(mcc.predict().signature()))
                        .as("MultiChainComparison's predict signature").isEqualTo(view(object(predictNode.get("signature"))));
                yield mcc;
            }
            case "BestOfN" -> BestOfN.of(build(object(object(node.get("children")).get("module")), script),
                    ((Number) node.get("N")).intValue(), reward((String) node.get("reward_fn")),
                    ((Number) node.get("threshold")).doubleValue(), ((Number) node.get("fail_count")).intValue());
            case "Refine" -> {
                Refine.Builder builder = Refine.builder(build(object(object(node.get("children")).get("module")), script),
                        ((Number) node.get("N")).intValue(), reward((String) node.get("reward_fn")),
                        ((Number) node.get("threshold")).doubleValue())
                        .failCount(((Number) node.get("fail_count")).intValue());
                if (script.programCode != null) {
                    builder.programCode(script.programCode);
                }
                if (script.rewardCode != null) {
                    builder.rewardCode(script.rewardCode);
                }
                yield builder.build();
            }
            default -> throw new IllegalStateException("Unknown structure node type '" + type + "' in " + node);
        };
    }

    private static Object buildChild(Object child, ScriptedTools script) {
        if (child instanceof List<?> items) {
            return items.stream().map(item -> buildChild(item, script)).toList();
        }
        Map<String, Object> map = object(child);
        if (map.containsKey("type")) {
            return build(map, script);
        }
        // a dict attribute: {key: node}
        Map<String, Object> dict = new LinkedHashMap<>();
        map.forEach((key, value) -> dict.put(key, buildChild(value, script)));
        return dict;
    }

    /** The Java counterparts of the reward functions {@code structure.json} describes (by their description). */
    static RewardFunction reward(String description) {
        if (description.startsWith("one_word:")) {
            // def one_word(args, pred): return 1.0 if len(pred.answer.split()) == 1 else 0.0
            return (inputs, prediction) -> prediction.getString("answer").strip().split("\\s+").length == 1
                    && !prediction.getString("answer").isBlank() ? 1.0 : 0.0;
        }
        throw new IllegalStateException("No Java reward function for '" + description + "'");
    }

    /**
     * DSPy's {@code BestAndRefine} test program: {@code best = BestOfN(Answerer(), ...)} and
     * {@code refine = Refine(Answerer(), ...)}; {@code forward(question)} returns
     * {@code Prediction(best=best(question=question).answer, refined=refine(question=question).answer)}.
     */
    static final class BestAndRefine extends Module {
        private final Map<String, Object> attributes;

        BestAndRefine(Map<String, Object> attributes) {
            this.attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        }

        @Override
        protected Map<String, ?> children() {
            return attributes;
        }

        @Override
        protected Prediction forward(Example inputs) {
            Object best = ((Module) attributes.get("best")).call(inputs.toMap()).get("answer");
            Object refined = ((Module) attributes.get("refine")).call(inputs.toMap()).get("answer");
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("best", best);
            out.put("refined", refined);
            return Prediction.of(out);
        }
    }

    /**
     * Tools rebuilt from {@code structure.json} descriptors ({@code name}, {@code desc}, {@code args})
     * with {@link Tool#ofSchema}, answering with the observations (or raising the errors) a run of
     * {@code runs.json} recorded, in order. {@link #expect} loads one run's calls; {@link #calls}
     * are the calls made since. Not thread-safe: one run at a time.
     */
    static final class ScriptedTools {
        private final Deque<Map<String, Object>> pending = new ArrayDeque<>();
        private final List<Map<String, Object>> calls = new ArrayList<>();
        /** The program and reward code DSPy showed Refine's feedback step, when the folder has such a call. */
        String programCode;
        String rewardCode;

        Tool tool(Map<String, Object> descriptor) {
            Map<String, Map<String, ?>> args = new LinkedHashMap<>();
            object(descriptor.get("args")).forEach((name, schema) -> args.put(name, object(schema)));
            String name = (String) descriptor.get("name");
            return Tool.ofSchema(name, (String) descriptor.get("desc"), args, given -> answer(name, given));
        }

        private Object answer(String tool, Map<String, Object> given) {
            Map<String, Object> call = new LinkedHashMap<>();
            call.put("tool", tool);
            call.put("args", new LinkedHashMap<>(given));
            calls.add(call);
            Map<String, Object> next = pending.poll();
            if (next == null || !tool.equals(next.get("tool"))) {
                throw new AssertionError("Tool " + tool + " called with " + given + ", but the run expected "
                        + (next == null ? "no more tool calls" : next));
            }
            if (next.containsKey("error")) {
                throw new IllegalStateException(String.valueOf(next.get("error")));
            }
            return next.get("observation");
        }

        private volatile ScriptedInterpreter python = ScriptedInterpreter.create();

        /** An interpreter that runs the script {@link #expectCode} loaded last. */
        CodeInterpreter interpreter() {
            return new CodeInterpreter() {
                @Override
                public CodeSession openSession(List<Tool> tools) {
                    return python.openSession(tools);
                }

                @Override
                public void close() {}
            };
        }

        /**
         * Loads the code one run of {@code runs.json} executed ({@code interpreter_executed}), with
         * what DSPy's fake interpreter answered: read from the calls that followed each execution
         * (the {@code error} input of {@code code_regenerate}, the {@code code_output} input of
         * {@code generate_output}).
         */
        void expectCode(List<String> executed, List<Map<String, Object>> calls) {
            ScriptedInterpreter next = ScriptedInterpreter.create();
            int index = 0;
            for (Map<String, Object> call : calls) {
                Map<String, Object> inputs = object(call.get("inputs"));
                String predictor = (String) call.get("predictor");
                boolean regenerate = predictor.startsWith("code_regenerate.");
                boolean answer = predictor.startsWith("generate_output.");
                if (!regenerate && !answer || index >= executed.size()) {
                    continue;
                }
                String code = (String) inputs.get(regenerate ? "previous_code" : "final_generated_code");
                if (!executed.get(index).equals(code)) {
                    continue; // the code was not run (a parse error)
                }
                index++;
                if (regenerate) {
                    String error = (String) inputs.get("error");
                    next.expectError(code, error.substring(0, Math.max(0, error.indexOf(':'))), error);
                } else {
                    next.expect(code, new CodeResult.Output(JSON.readValue((String) inputs.get("code_output"),
                            Object.class)));
                }
            }
            python = next;
        }

        /** The code executed since {@link #expectCode}. */
        List<String> executedCode() {
            return python.executed();
        }

        /** Loads the tool calls of one run (the {@code finish} calls, made by ReAct itself, are skipped). */
        void expect(List<Map<String, Object>> toolCalls) {
            pending.clear();
            calls.clear();
            toolCalls.stream().filter(c -> !"finish".equals(c.get("tool"))).forEach(pending::add);
        }

        /** The calls made since {@link #expect}, as {@code {tool, args}}. */
        List<Map<String, Object>> calls() {
            return List.copyOf(calls);
        }

        /** The calls scripted but not made. */
        int remaining() {
            return pending.size();
        }
    }

    /** Every Predict node of a structure tree, by its {@code path}. */
    static Map<String, Map<String, Object>> predictNodes(Map<String, Object> node) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        collectPredictNodes(node, out);
        return out;
    }

    private static void collectPredictNodes(Object node, Map<String, Map<String, Object>> out) {
        if (node instanceof List<?> items) {
            items.forEach(item -> collectPredictNodes(item, out));
            return;
        }
        Map<String, Object> map = object(node);
        if ("Predict".equals(map.get("type"))) {
            out.put((String) map.get("path"), map);
        } else if (map.get("children") instanceof Map<?, ?> children) {
            children.values().forEach(child -> collectPredictNodes(child, out));
        } else if (!map.containsKey("type")) {
            map.values().forEach(child -> collectPredictNodes(child, out));
        }
    }

    /**
     * A custom module built from {@code structure.json}: it declares its attributes through
     * {@link Module#children()} instead of fields. It has no logic of its own; {@link #forward}
     * routes a call to the predictor named by the reserved input {@link #ROUTE} (removed before
     * the call), so a test can replay one LM call of the program through the program itself.
     */
    static final class GenericProgram extends Module {

        static final String ROUTE = "__predictor_path__";

        private final String className;
        private final Map<String, Object> attributes;

        GenericProgram(String className, Map<String, Object> attributes) {
            this.className = className;
            this.attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        }

        @Override
        protected Map<String, ?> children() {
            return attributes;
        }

        @Override
        protected Prediction forward(Example inputs) {
            if (!inputs.has(ROUTE) && namedPredictors().size() == 1) {
                // a module whose forward calls its one predictor, like DSPy's Answerer
                return namedPredictors().values().iterator().next().call(inputs.toMap());
            }
            String path = inputs.getString(ROUTE);
            Predict predictor = namedPredictors().get(path);
            if (predictor == null) {
                throw new IllegalArgumentException("No predictor " + path + " in " + namedPredictors().keySet());
            }
            return predictor.call(inputs.without(ROUTE).toMap());
        }

        @Override
        public String toString() {
            return className + namedPredictors().keySet();
        }
    }

    // ---------------------------------------------------------------- requests and replies

    /** A message as the wire sees it. */
    record WireMessage(String role, String content) {}

    static List<WireMessage> wire(LmRequest request) {
        List<WireMessage> out = new ArrayList<>();
        for (Message message : request.messages()) {
            out.add(new WireMessage(message.role().wireName(), message.text()));
        }
        return out;
    }

    static List<WireMessage> expectedMessages(Map<String, Object> caseEntry) {
        return objects(caseEntry.get("expected_messages")).stream()
                .map(m -> new WireMessage((String) m.get("role"), (String) m.get("content")))
                .toList();
    }

    private static final Pattern SECTION = Pattern.compile("\\[\\[ ## (\\w+) ## \\]\\]");

    /** The text of each {@code [[ ## field ## ]]} section of a ChatAdapter-format reply. */
    static Map<String, String> sections(String completion) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = SECTION.matcher(completion);
        String name = null;
        int start = 0;
        while (m.find()) {
            if (name != null) {
                out.put(name, completion.substring(start, m.start()).strip());
            }
            name = m.group(1);
            start = m.end();
        }
        if (name != null) {
            out.put(name, completion.substring(start).strip());
        }
        out.remove("completed");
        return out;
    }

    /** What the adapter should parse from a section's text, by the field's type. */
    static Object expectedValue(FieldType type, String text) {
        return switch (type) {
            case FieldType.StrType s -> text;
            case FieldType.IntType i -> Long.valueOf(text);
            case FieldType.FloatType f -> Double.valueOf(text);
            case FieldType.BoolType b -> Boolean.valueOf(text.toLowerCase(java.util.Locale.ROOT));
            case FieldType.LiteralType l -> l.values().stream().filter(v -> String.valueOf(v).equals(text))
                    .findFirst().orElse(text);
            default -> JSON.readValue(text, Object.class);
        };
    }

    /** The outputs a reply holds for this signature, typed as the adapter should parse them. */
    static Map<String, Object> expectedOutputs(Signature signature, String completion) {
        Map<String, String> sections = sections(completion);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Field field : signature.outputs()) {
            String text = sections.get(field.name());
            assertThat(text).as("the reply's section for output '%s'", field.name()).isNotNull();
            out.put(field.name(), expectedValue(field.type(), text));
        }
        return out;
    }
}
