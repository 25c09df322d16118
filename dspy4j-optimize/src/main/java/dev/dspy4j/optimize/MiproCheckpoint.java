package dev.dspy4j.optimize;

import dev.dspy4j.data.Example;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.ProgramState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link MiproV2} run's checkpoint directory: the run's fingerprint ({@code manifest.json}), the
 * proposal phase's output ({@code proposals.json}) and one file per finished evaluation
 * ({@code trial-0001.json}, ...). Files are written whole or not at all (see {@link CheckpointFiles}).
 * A disabled checkpoint ({@link #none()}) records and replays nothing. Used by one run on one thread.
 */
final class MiproCheckpoint {

    static final String FORMAT = "dspy4j-mipro-v2-checkpoint";
    static final int VERSION = 1;

    private final CheckpointFiles files;
    private final Map<Integer, Map<String, Object>> trials = new LinkedHashMap<>();

    private MiproCheckpoint(CheckpointFiles files) {
        this.files = files;
    }

    static MiproCheckpoint none() {
        return new MiproCheckpoint(null);
    }

    /**
     * Opens {@code dir} for a run with this fingerprint: writes the manifest into a new or empty
     * directory, or checks the one there and reads the finished trials.
     *
     * @throws CheckpointException if the directory holds another run's checkpoint or a bad file
     */
    static MiproCheckpoint open(Path dir, String fingerprint) {
        CheckpointFiles files = new CheckpointFiles(dir);
        MiproCheckpoint checkpoint = new MiproCheckpoint(files);
        Optional<Map<String, Object>> manifest = files.read("manifest.json");
        if (manifest.isEmpty()) {
            if (!files.names().isEmpty()) {
                throw new CheckpointException("Checkpoint directory " + dir + " holds files but no manifest.json, so "
                        + "it is not a MiproV2 checkpoint; point checkpointDir at an empty or new directory.");
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("format", FORMAT);
            m.put("version", VERSION);
            m.put("fingerprint", fingerprint);
            files.write("manifest.json", m);
            return checkpoint;
        }
        Path file = dir.resolve("manifest.json");
        Map<String, Object> m = manifest.get();
        if (!FORMAT.equals(m.get("format")) || !Integer.valueOf(VERSION).equals(m.get("version"))) {
            throw new CheckpointException(file + " is not a version " + VERSION + " MiproV2 checkpoint (format "
                    + m.get("format") + ", version " + m.get("version") + "); delete " + dir + " to start over.");
        }
        if (!fingerprint.equals(m.get("fingerprint"))) {
            throw new CheckpointException("Checkpoint " + dir + " is of a different run: the seed, settings, "
                    + "trainset, valset or program differ from those it was made with. Run with the same ones to "
                    + "resume, or delete the directory (or choose another) to start over.");
        }
        for (String name : files.names()) {
            if (name.startsWith("trial-") && name.endsWith(".json")) {
                Map<String, Object> trial = files.read(name).orElseThrow();
                Object number = trial.get("number");
                if (!(number instanceof Integer n) || !name.equals(trialFile(n))) {
                    throw files.bad(name, "its number " + number + " does not match its name");
                }
                checkpoint.trials.put(n, trial);
            }
        }
        return checkpoint;
    }

    /** The number of finished evaluations on disk when the checkpoint was opened. */
    int finishedTrials() {
        return trials.size();
    }

    /** The proposal phase's output, if a previous run saved it. */
    Optional<Proposals> proposals(Module program) {
        if (files == null) {
            return Optional.empty();
        }
        Optional<Map<String, Object>> saved = files.read("proposals.json");
        if (saved.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Proposals.fromMap(saved.get(), program));
        } catch (RuntimeException e) {
            throw files.bad("proposals.json", e.getMessage(), e);
        }
    }

    void saveProposals(Proposals proposals, Module program) {
        if (files != null) {
            files.write("proposals.json", proposals.toMap(program));
        }
    }

    /**
     * The score of finished evaluation {@code number}, if recorded; checks that it was of the same
     * configuration and batch size the resumed run re-derived.
     */
    Optional<Double> recorded(int number, Map<String, Integer> params, int programRuns, boolean full) {
        Map<String, Object> trial = trials.get(number);
        if (trial == null) {
            return Optional.empty();
        }
        Map<String, Object> expected = new LinkedHashMap<>(params);
        if (!expected.equals(trial.get("params")) || !Integer.valueOf(programRuns).equals(trial.get("programRuns"))
                || !Boolean.valueOf(full).equals(trial.get("fullEvaluation"))) {
            throw files.bad(trialFile(number), "the resumed run chose " + params + " on " + programRuns
                    + " examples here, but the file records " + trial.get("params") + " on " + trial.get("programRuns")
                    + " (is the TrialSampler deterministic for its seed?)");
        }
        if (!(trial.get("score") instanceof Number score)) {
            throw files.bad(trialFile(number), "it has no numeric score");
        }
        return Optional.of(score.doubleValue());
    }

    void saveTrial(MiproTrial trial, int programRuns) {
        if (files == null || trials.containsKey(trial.number())) {
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("number", trial.number());
        m.put("params", new LinkedHashMap<>(trial.params()));
        m.put("score", trial.score());
        m.put("fullEvaluation", trial.fullEvaluation());
        m.put("programRuns", programRuns);
        m.put("evaluationCallsSoFar", trial.evaluationCallsSoFar());
        files.write(trialFile(trial.number()), m);
    }

    static String trialFile(int number) {
        return String.format("trial-%04d.json", number);
    }

    /**
     * What the proposal phase made, and the run's generator state after it. Demo sets are saved
     * as the program's state with each set in place (core's save format), so demos read back as a
     * saved program's would.
     */
    record Proposals(Map<String, List<String>> instructions, Map<String, List<List<Example>>> demoSets,
                     int[] randomState) {

        Map<String, Object> toMap(Module program) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("instructions", instructions);
            List<String> sets = new ArrayList<>();
            int count = demoSets.values().iterator().next().size();
            for (int k = 0; k < count; k++) {
                int set = k;
                sets.add(program.mapState((path, state) -> demoSets.containsKey(path)
                        ? state.withDemos(demoSets.get(path).get(set)) : state).state().toJson());
            }
            m.put("demoSets", sets);
            // the save format keeps demos' values, not which keys are inputs: kept here beside it
            Map<String, List<List<List<String>>>> inputs = new LinkedHashMap<>();
            demoSets.forEach((path, list) -> inputs.put(path, list.stream().map(set -> set.stream()
                    .map(demo -> List.copyOf(demo.inputKeys())).toList()).toList()));
            m.put("demoInputKeys", inputs);
            List<Integer> random = new ArrayList<>();
            for (int word : randomState) {
                random.add(word);
            }
            m.put("randomState", random);
            return m;
        }

        @SuppressWarnings("unchecked")
        static Proposals fromMap(Map<String, Object> m, Module program) {
            Map<String, List<String>> instructions = new LinkedHashMap<>();
            ((Map<String, List<String>>) m.get("instructions")).forEach((path, list) -> instructions.put(path,
                    List.copyOf(list)));
            Map<String, List<List<Example>>> demoSets = new LinkedHashMap<>();
            program.namedPredictors().keySet().forEach(path -> demoSets.put(path, new ArrayList<>()));
            for (String json : (List<String>) m.get("demoSets")) {
                ProgramState state = ProgramState.fromJson(json, "proposals.json", program, null);
                demoSets.forEach((path, sets) -> sets.add(List.copyOf(state.predictor(path).demos())));
            }
            var inputs = (Map<String, List<List<List<String>>>>) m.get("demoInputKeys");
            demoSets.replaceAll((path, sets) -> {
                List<List<Example>> withInputs = new ArrayList<>();
                for (int k = 0; k < sets.size(); k++) {
                    List<List<String>> keys = inputs.get(path).get(k);
                    List<Example> set = sets.get(k);
                    if (keys.size() != set.size()) {
                        throw new IllegalStateException("demo set " + k + " of " + path + " has " + set.size()
                                + " demos but " + keys.size() + " input key lists");
                    }
                    List<Example> demos = new ArrayList<>();
                    for (int d = 0; d < set.size(); d++) {
                        demos.add(set.get(d).withInputs(keys.get(d)));
                    }
                    withInputs.add(List.copyOf(demos));
                }
                return List.copyOf(withInputs);
            });
            List<Number> random = (List<Number>) m.get("randomState");
            int[] words = new int[random.size()];
            for (int i = 0; i < words.length; i++) {
                words[i] = random.get(i).intValue();
            }
            return new Proposals(instructions, demoSets, words);
        }
    }

    /** SHA-256 of {@code text} in hex. */
    static String sha256(String text) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
