package dev.dspy4j.optimize;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.evaluate.Evaluate;
import dev.dspy4j.evaluate.EvaluationResult;
import dev.dspy4j.module.ChainOfThought;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.module.PredictorState;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.Signature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One {@link MiproV2} run: its generator, datasets and settings as resolved, and its steps. Used once. */
final class MiproRun {

    private static final Logger LOG = LoggerFactory.getLogger(MiproRun.class);

    private final MiproV2 config;
    private final Module program;
    private final DspyContext context;
    private final PythonRandom rng;
    private final List<Example> trainset;
    private List<Example> valset;
    private boolean minibatch;
    private int numTrials;
    private int instructionCandidates;
    private int fewShotCandidates;
    private final RunBudget budget;

    MiproRun(MiproV2 config, Module program, List<Example> trainset, List<Example> valset, DspyContext context) {
        this.config = config;
        this.program = program;
        this.budget = new RunBudget(config.budget);
        this.context = budget.meter(context);
        this.rng = new PythonRandom(config.seed);
        if (trainset.isEmpty()) {
            throw new IllegalArgumentException("MiproV2 needs a non-empty trainset.");
        }
        if (valset.isEmpty()) {
            if (trainset.size() < 2) {
                throw new IllegalArgumentException("MiproV2 needs at least 2 trainset examples when no valset is "
                        + "given (the last 80% become the valset); pass a valset or more examples.");
            }
            int size = Math.min(1000, Math.max(1, (int) (trainset.size() * 0.8)));
            int cutoff = trainset.size() - size;
            this.valset = List.copyOf(trainset.subList(cutoff, trainset.size()));
            this.trainset = List.copyOf(trainset.subList(0, cutoff));
        } else {
            this.valset = List.copyOf(valset);
            this.trainset = List.copyOf(trainset);
        }
        this.minibatch = config.minibatch;
        this.numTrials = config.numTrials;
        this.instructionCandidates = config.numCandidates;
        this.fewShotCandidates = config.numCandidates;
    }

    MiproResult execute() {
        applyAuto();
        if (minibatch && config.minibatchSize > valset.size()) {
            throw new IllegalArgumentException("minibatchSize " + config.minibatchSize + " exceeds the valset ("
                    + valset.size() + " examples); lower minibatchSize or turn minibatch off.");
        }
        MiproCheckpoint checkpoint = config.checkpointDir
                .map(dir -> MiproCheckpoint.open(dir, fingerprint())).orElseGet(MiproCheckpoint::none);
        // Resuming restores the generator as the proposal phase left it; the search then re-makes
        // each of its draws (minibatches here, the sampler's from its seed and the recorded scores),
        // none of which calls an LM, so every later draw is the uninterrupted run's.
        MiproCheckpoint.Proposals proposals = checkpoint.proposals(program).orElse(null);
        if (proposals != null) {
            rng.restore(proposals.randomState());
            LOG.info("MiproV2: resuming from {} with {} finished evaluations", config.checkpointDir.orElseThrow(),
                    checkpoint.finishedTrials());
        } else {
            try {
                proposals = propose();
            } catch (RunBudget.Spent e) {
                LOG.debug("MiproV2 stopped: {}", e.getMessage());
                return new MiproResult(program, Double.NaN, Map.of(), Map.of(), List.of(), true);
            }
            checkpoint.saveProposals(proposals, program);
        }
        Map<String, List<List<Example>>> demoSets = proposals.demoSets();
        Map<String, List<String>> instructions = proposals.instructions();
        TrialSearch search = new TrialSearch(config, program, context, rng, valset, minibatch, numTrials,
                instructions, config.zeroShot() ? null : demoSets, checkpoint);
        search.budget = budget;
        return search.run(demoSets);
    }

    /** The demo sets and instruction candidates, made with the task and prompt LMs. */
    private MiproCheckpoint.Proposals propose() {
        Map<String, List<List<Example>>> demoSets = demoSets();
        budget.after("demo bootstrapping");
        DspyContext promptContext = config.promptLm == null ? context : context.withLm(config.promptLm);
        GroundedProposer proposer = new GroundedProposer(promptContext, rng, config.initTemperature, programCode());
        Map<String, PredictorState> predictors = program.state().predictors();
        Map<String, List<String>> proposals;
        try {
            String summary = proposer.datasetSummary(trainset, config.viewDataBatchSize);
            proposals = proposer.propose(predictors, demoSets, instructionCandidates, summary);
        } catch (RuntimeException e) {
            throw budget.failure(e, "instruction proposals");
        }
        budget.after("instruction proposals"); // the proposer may have swallowed a refused call
        Map<String, List<String>> instructions = new LinkedHashMap<>();
        proposals.forEach((path, list) -> {
            List<String> copy = new ArrayList<>(list);
            copy.set(0, predictors.get(path).signature().instructions());
            instructions.put(path, List.copyOf(copy));
        });
        return new MiproCheckpoint.Proposals(instructions, demoSets, rng.state());
    }

    /** What a checkpoint must match to be resumed: the settings, the data as resolved, the program. */
    private String fingerprint() {
        StringBuilder text = new StringBuilder(config.settingsForFingerprint()).append("\ntrainset\n");
        trainset.forEach(e -> text.append(e).append('\n'));
        text.append("valset\n");
        valset.forEach(e -> text.append(e).append('\n'));
        text.append("program ").append(program.getClass().getName()).append('\n').append(program.state().toJson());
        return MiproCheckpoint.sha256(text.toString());
    }

    /** DSPy's {@code _set_hyperparams_from_run_mode}: the preset's counts, and a resampled valset. */
    private void applyAuto() {
        if (config.auto == MiproV2.Auto.OFF) {
            return;
        }
        valset = sample(valset, Math.min(config.auto.valsetSize, valset.size()), rng);
        minibatch = valset.size() > MiproV2.MIN_MINIBATCH_VALSET;
        int n = config.auto.candidates;
        instructionCandidates = config.zeroShot() ? n : n / 2;
        fewShotCandidates = n;
        numTrials = MiproV2.recommendedTrials(program.namedPredictors().size(), config.zeroShot(), n);
        LOG.info("MiproV2 {}: {} trials, minibatch {}, {} demo sets, {} instruction candidates, valset of {}",
                config.auto, numTrials, minibatch, fewShotCandidates, instructionCandidates, valset.size());
    }

    /** {@code rng.sample(range(len(list)), k)} mapped back to the list: DSPy's {@code create_minibatch}. */
    static List<Example> sample(List<Example> list, int k, PythonRandom rng) {
        List<Integer> indices = rng.sample(IntStream.range(0, list.size()).boxed().toList(), k);
        return indices.stream().map(list::get).toList();
    }

    /**
     * DSPy's {@code create_n_fewshot_demo_sets}: sets for seeds −3 … n−4. −3 has no demos; −2 has
     * labelled demos if any are wanted (otherwise it is a shuffled bootstrap, as in DSPy); −1
     * bootstraps in trainset order; the rest shuffle the trainset and bootstrap a random number of
     * demos, both drawn from the run's generator.
     */
    private Map<String, List<List<Example>>> demoSets() {
        int boot = config.zeroShot() ? MiproV2.ZERO_SHOT_GROUNDING_DEMOS : config.maxBootstrappedDemos;
        int labeled = config.zeroShot() ? 0 : config.maxLabeledDemos;
        Map<String, List<List<Example>>> sets = new LinkedHashMap<>();
        program.namedPredictors().keySet().forEach(path -> sets.put(path, new ArrayList<>()));
        for (int seed = -3; seed < fewShotCandidates - 3; seed++) {
            Module built;
            if (seed == -3) {
                built = program.mapState((path, s) -> s.withDemos(List.of()));
            } else if (seed == -2 && labeled > 0) {
                built = LabeledFewShot.of(labeled).compile(program, trainset, context);
            } else if (seed == -1) {
                built = bootstrap(boot, labeled).compile(program, trainset, context);
            } else {
                List<Example> shuffled = SeededSampling.shuffled(trainset, rng);
                int size = boot < 1 ? boot : rng.randint(1, boot);
                built = bootstrap(size, labeled).compile(program, shuffled, context);
            }
            built.state().predictors().forEach((path, state) -> sets.get(path).add(List.copyOf(state.demos())));
        }
        Map<String, List<List<Example>>> out = new LinkedHashMap<>();
        sets.forEach((path, list) -> out.put(path, List.copyOf(list)));
        return out;
    }

    private BootstrapFewShot bootstrap(int maxBootstrapped, int maxLabeled) {
        BootstrapFewShot.Builder b = BootstrapFewShot.builder().metric(config.metric)
                .maxBootstrappedDemos(maxBootstrapped).maxLabeledDemos(maxLabeled).maxErrors(config.maxErrors)
                .concurrency(config.concurrency);
        if (config.metricThreshold != null) {
            b.metricThreshold(config.metricThreshold);
        }
        return b.build();
    }

    /** What the proposer is shown as the program's code; see {@link MiproV2}. */
    private String programCode() {
        if (config.programCode != null) {
            return config.programCode;
        }
        if ((program instanceof Predict || program instanceof ChainOfThought) && program.namedPredictors().size() == 1) {
            return "\n\n";   // DSPy reads no source for a lone Predict or ChainOfThought
        }
        List<String> parts = new ArrayList<>();
        program.state().predictors().forEach((path, state) -> parts.add(describe(path, state.signature())));
        return String.join("\n\n", parts) + "\n\n" + program.getClass().getSimpleName();
    }

    private static String describe(String path, Signature signature) {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        for (Field field : signature.fields()) {
            (field.isInput() ? inputs : outputs).add(field.name());
        }
        return path + " = Predict(" + String.join(", ", inputs) + " -> " + String.join(", ", outputs) + ")\n"
                + "    instructions: " + signature.instructions();
    }

    /** Scores {@code candidate} on {@code examples}; the result's usage is that evaluation's. */
    static EvaluationResult evaluate(MiproV2 config, Module candidate, List<Example> examples, DspyContext context) {
        return Evaluate.builder().devset(examples).metric(config.metric).concurrency(config.concurrency)
                .maxErrors(config.maxErrors).build().run(candidate, context);
    }
}
