package dev.dspy4j.optimize;

import dev.dspy4j.data.Example;
import dev.dspy4j.module.Module;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link Copro} run's checkpoint directory: the run's fingerprint ({@code manifest.json}), one
 * file per finished proposal call ({@code proposals-d1-p0.json}: depth 1, the first predictor) and
 * one per finished candidate evaluation ({@code score-d1-p0-c003.json}: its fourth candidate).
 * Every file is read, and checked, when the checkpoint is opened, so a damaged one is reported
 * before any LM call. Files are written whole or not at all (see {@link CheckpointFiles}). A
 * disabled checkpoint ({@link #none()}) records and replays nothing. Used by one run on one thread.
 */
final class CoproCheckpoint {

    static final String FORMAT = "dspy4j-copro-checkpoint";
    static final int VERSION = 1;

    /** One proposal as the prompt model wrote it (quotes not stripped). */
    record Candidate(String instruction, String prefix) {}

    private final CheckpointFiles files;
    private final Map<String, Map<String, Object>> recorded = new HashMap<>();

    private CoproCheckpoint(CheckpointFiles files) {
        this.files = files;
    }

    static CoproCheckpoint none() {
        return new CoproCheckpoint(null);
    }

    /**
     * Opens {@code dir} for a run with these fingerprint parts: writes the manifest into a new or
     * empty directory, or checks the one there, naming the part that differs, and reads the rest.
     *
     * @param fingerprint what the run must match, by part (settings, trainset, program), in order
     * @throws CheckpointException if the directory holds another run's checkpoint or a bad file
     */
    static CoproCheckpoint open(Path dir, Map<String, String> fingerprint) {
        CheckpointFiles files = new CheckpointFiles(dir);
        CoproCheckpoint checkpoint = new CoproCheckpoint(files);
        Optional<Map<String, Object>> manifest = files.read("manifest.json");
        if (manifest.isEmpty()) {
            if (!files.names().isEmpty()) {
                throw new CheckpointException("Checkpoint directory " + dir + " holds files but no manifest.json, so "
                        + "it is not a Copro checkpoint; point checkpointDir at an empty or new directory.");
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("format", FORMAT);
            m.put("version", VERSION);
            m.put("fingerprint", new LinkedHashMap<>(fingerprint));
            files.write("manifest.json", m);
            return checkpoint;
        }
        Map<String, Object> m = manifest.get();
        if (!FORMAT.equals(m.get("format")) || !Integer.valueOf(VERSION).equals(m.get("version"))
                || !(m.get("fingerprint") instanceof Map<?, ?> saved)) {
            throw new CheckpointException(dir.resolve("manifest.json") + " is not a version " + VERSION
                    + " Copro checkpoint (format " + m.get("format") + ", version " + m.get("version")
                    + "); delete " + dir + " to start over.");
        }
        List<String> differences = new ArrayList<>();
        fingerprint.forEach((part, value) -> {
            if (!value.equals(saved.get(part))) {
                differences.add(part.equals("settings")
                        ? "the settings (checkpoint: " + saved.get(part) + "; this run: " + value + ")"
                        : "the " + part);
            }
        });
        if (!differences.isEmpty()) {
            throw new CheckpointException("Checkpoint " + dir + " is of a different run: " + String.join(", ",
                    differences) + " differ from those it was made with. Run with the same ones to resume, or "
                    + "delete the directory (or choose another) to start over.");
        }
        for (String name : files.names()) {
            if (name.startsWith("proposals-") || name.startsWith("score-")) {
                checkpoint.recorded.put(name, files.read(name).orElseThrow());
            }
        }
        for (var entry : checkpoint.recorded.entrySet()) {
            checkpoint.check(entry.getKey(), entry.getValue());
        }
        return checkpoint;
    }

    /** What a checkpoint must match to be resumed, by part; the settings readable, the rest hashed. */
    static Map<String, String> fingerprint(Copro config, List<Example> trainset, Module program) {
        StringBuilder train = new StringBuilder();
        trainset.forEach(e -> train.append(e).append('\n'));
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put("settings", config.settingsForFingerprint());
        parts.put("trainset", MiproCheckpoint.sha256(train.toString()));
        parts.put("program", MiproCheckpoint.sha256(program.getClass().getName() + '\n' + program.state().toJson()));
        return parts;
    }

    /** The number of finished proposal calls and evaluations on disk when the checkpoint was opened. */
    int finishedSteps() {
        return recorded.size();
    }

    /** The candidates of proposal call ({@code depth}, predictor {@code index}), if a run recorded them. */
    @SuppressWarnings("unchecked")
    Optional<List<Candidate>> proposals(int depth, int index, String path) {
        String name = proposalsFile(depth, index);
        Map<String, Object> file = recorded.get(name);
        if (file == null) {
            return Optional.empty();
        }
        expectPath(name, file, path);
        List<Candidate> out = new ArrayList<>();
        for (Map<String, Object> c : (List<Map<String, Object>>) file.get("candidates")) {
            out.add(new Candidate((String) c.get("instruction"), (String) c.get("prefix")));
        }
        return Optional.of(out);
    }

    void saveProposals(int depth, int index, String path, List<Candidate> candidates) {
        if (files == null) {
            return;
        }
        List<Map<String, Object>> list = new ArrayList<>();
        for (Candidate c : candidates) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("instruction", c.instruction());
            m.put("prefix", c.prefix());
            list.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("depth", depth);
        m.put("predictor", path);
        m.put("candidates", list);
        files.write(proposalsFile(depth, index), m);
    }

    /**
     * The score of candidate {@code candidate} of predictor {@code index} at {@code depth}, if
     * recorded; checks that it was of the instruction and prefix the resumed run derived.
     */
    Optional<Double> score(int depth, int index, String path, int candidate, String instruction, String prefix) {
        String name = scoreFile(depth, index, candidate);
        Map<String, Object> file = recorded.get(name);
        if (file == null) {
            return Optional.empty();
        }
        expectPath(name, file, path);
        if (!instruction.equals(file.get("instruction")) || !prefix.equals(file.get("prefix"))) {
            throw files.bad(name, "it scores instruction " + file.get("instruction") + " with prefix "
                    + file.get("prefix") + ", but the resumed run reached instruction " + instruction
                    + " with prefix " + prefix + " here");
        }
        return Optional.of(((Number) file.get("score")).doubleValue());
    }

    void saveScore(int depth, int index, String path, int candidate, String instruction, String prefix,
                   double score) {
        if (files == null) {
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("depth", depth);
        m.put("predictor", path);
        m.put("candidate", candidate);
        m.put("instruction", instruction);
        m.put("prefix", prefix);
        m.put("score", score);
        files.write(scoreFile(depth, index, candidate), m);
    }

    static String proposalsFile(int depth, int index) {
        return "proposals-d" + depth + "-p" + index + ".json";
    }

    static String scoreFile(int depth, int index, int candidate) {
        return String.format("score-d%d-p%d-c%03d.json", depth, index, candidate);
    }

    /** Checks a file's shape when it is read, so that a damaged one fails before any LM call. */
    private void check(String name, Map<String, Object> file) {
        if (!(file.get("depth") instanceof Integer) || !(file.get("predictor") instanceof String)) {
            throw files.bad(name, "it has no depth or predictor");
        }
        if (name.startsWith("proposals-")) {
            if (!(file.get("candidates") instanceof List<?> list) || !list.stream().allMatch(c -> c instanceof Map<?, ?> m
                    && m.get("instruction") instanceof String && m.get("prefix") instanceof String)) {
                throw files.bad(name, "it has no list of candidates with an instruction and a prefix each");
            }
        } else if (!(file.get("score") instanceof Number) || !(file.get("instruction") instanceof String)
                || !(file.get("prefix") instanceof String)) {
            throw files.bad(name, "it has no numeric score, instruction or prefix");
        }
    }

    private void expectPath(String name, Map<String, Object> file, String path) {
        if (!path.equals(file.get("predictor"))) {
            throw files.bad(name, "it is of predictor " + file.get("predictor") + ", not " + path);
        }
    }
}
