package dev.dspy4j.optimize;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checkpoint directory of an optimizer that runs in steps ({@link Gepa}'s iterations,
 * {@link Simba}'s steps): the run's fingerprint ({@code manifest.json}), then one file per
 * finished step ({@code iteration-0000.json}, ... or {@code step-0000.json}, ...), each holding
 * what the step produced and the run's state after it, as the optimizer's run class writes it.
 * Files are written whole or not at all (see {@link CheckpointFiles}), and must be numbered
 * without gaps. A disabled checkpoint ({@link #none()}) records and replays nothing. Used by one
 * run on one thread.
 */
final class StepCheckpoint {

    static final int VERSION = 1;

    /** The optimizers that checkpoint in steps: each one's format name and file names. */
    enum Kind {
        GEPA("dspy4j-gepa-checkpoint", "Gepa", "iteration-"),
        SIMBA("dspy4j-simba-checkpoint", "Simba", "step-");

        final String format;
        final String optimizer;
        final String prefix;

        Kind(String format, String optimizer, String prefix) {
            this.format = format;
            this.optimizer = optimizer;
            this.prefix = prefix;
        }

        /** The name of step {@code number}'s file. */
        String file(int number) {
            return String.format("%s%04d.json", prefix, number);
        }
    }

    private final Kind kind;
    private final CheckpointFiles files;
    private final List<Map<String, Object>> steps = new ArrayList<>();

    private StepCheckpoint(Kind kind, CheckpointFiles files) {
        this.kind = kind;
        this.files = files;
    }

    static StepCheckpoint none() {
        return new StepCheckpoint(null, null);
    }

    /**
     * Opens {@code dir} for a run with this fingerprint: writes the manifest into a new or empty
     * directory, or checks the one there and reads the finished steps.
     *
     * @throws CheckpointException if the directory holds another run's checkpoint or a bad file
     */
    static StepCheckpoint open(Kind kind, Path dir, String fingerprint) {
        CheckpointFiles files = new CheckpointFiles(dir);
        StepCheckpoint checkpoint = new StepCheckpoint(kind, files);
        Optional<Map<String, Object>> manifest = files.read("manifest.json");
        if (manifest.isEmpty()) {
            if (!files.names().isEmpty()) {
                throw new CheckpointException("Checkpoint directory " + dir + " holds files but no manifest.json, so "
                        + "it is not a " + kind.optimizer + " checkpoint; point checkpointDir at an empty or new "
                        + "directory.");
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("format", kind.format);
            m.put("version", VERSION);
            m.put("fingerprint", fingerprint);
            files.write("manifest.json", m);
            return checkpoint;
        }
        Path file = dir.resolve("manifest.json");
        Map<String, Object> m = manifest.get();
        if (!kind.format.equals(m.get("format")) || !Integer.valueOf(VERSION).equals(m.get("version"))) {
            throw new CheckpointException(file + " is not a version " + VERSION + " " + kind.optimizer
                    + " checkpoint (format " + m.get("format") + ", version " + m.get("version") + "); delete "
                    + dir + " to start over.");
        }
        if (!fingerprint.equals(m.get("fingerprint"))) {
            throw new CheckpointException("Checkpoint " + dir + " is of a different run: the seed, settings, "
                    + "trainset, valset or program differ from those it was made with. Run with the same ones to "
                    + "resume, or delete the directory (or choose another) to start over.");
        }
        for (String name : files.names()) {
            if (name.startsWith(kind.prefix) && name.endsWith(".json")) {
                Map<String, Object> step = files.read(name).orElseThrow();
                Object number = step.get("number");
                if (!(number instanceof Integer n) || !name.equals(kind.file(n))) {
                    throw files.bad(name, "its number " + number + " does not match its name");
                }
                if (n != checkpoint.steps.size()) {
                    throw files.bad(name, "the file " + kind.file(checkpoint.steps.size()) + " before it is missing");
                }
                checkpoint.steps.add(step);
            }
        }
        return checkpoint;
    }

    /** The finished steps on disk when the checkpoint was opened, in order. */
    List<Map<String, Object>> finishedSteps() {
        return steps;
    }

    /** Records finished step {@code number}, unless it was read back from the directory. */
    void save(int number, Map<String, Object> step) {
        if (files == null || number < steps.size()) {
            return;
        }
        files.write(kind.file(number), step);
    }

    /** An error naming the file of step {@code number}. */
    CheckpointException bad(int number, String problem, Throwable cause) {
        return files.bad(kind.file(number), problem, cause);
    }

    // ---------------------------------------------------------------- JSON values

    static List<Integer> words(int[] state) {
        List<Integer> out = new ArrayList<>(state.length);
        for (int word : state) {
            out.add(word);
        }
        return out;
    }

    static int[] words(Object list) {
        List<?> values = (List<?>) list;
        int[] out = new int[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) values.get(i)).intValue();
        }
        return out;
    }

    static List<Integer> integers(Object list) {
        return ((List<?>) list).stream().map(v -> ((Number) v).intValue()).toList();
    }

    static List<Double> doubles(Object list) {
        return ((List<?>) list).stream().map(v -> ((Number) v).doubleValue()).toList();
    }

    static int integer(Object value) {
        if (!(value instanceof Integer n)) {
            throw new IllegalArgumentException("expected an integer, found " + value);
        }
        return n;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("expected a JSON object, found " + value);
        }
        return (Map<String, Object>) value;
    }
}
