package dev.dspy4j.optimize;

import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The child JVM of {@link GepaCheckpointTest}: runs its optimization with a checkpoint directory
 * and halts the JVM ({@code Runtime.halt}: no shutdown hooks, no finally blocks) at the first LM
 * call, task or reflection, after the directory holds {@code args[1]} finished steps.
 */
final class GepaCheckpointChild {

    private GepaCheckpointChild() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int haltAfter = Integer.parseInt(args[1]);
        GepaCheckpointTest.optimize(dir, halting(GepaMergeRunTest.taskLm(), dir, haltAfter),
                halting(GepaMergeRunTest.reflectionLm(), dir, haltAfter));
        System.exit(0);   // the run finished before halting: the test fails on this exit code
    }

    private static Lm halting(Lm scripted, Path dir, int haltAfter) {
        return new Lm() {
            @Override
            public LmResponse call(LmRequest request) {
                if (stepFileNames(dir).size() >= haltAfter) {
                    Runtime.getRuntime().halt(42);
                }
                return scripted.call(request);
            }

            @Override
            public String model() {
                return scripted.model();
            }

            @Override
            public LmCapabilities capabilities() {
                return scripted.capabilities();
            }
        };
    }

    /** The step files in {@code dir}, sorted; temp files left out. */
    static List<String> stepFileNames(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("iteration-") && n.endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
