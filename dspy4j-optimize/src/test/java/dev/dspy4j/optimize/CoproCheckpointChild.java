package dev.dspy4j.optimize;

import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The child JVM of {@link CoproCheckpointTest}: runs its optimization with a checkpoint directory
 * and halts the JVM ({@code Runtime.halt}: no shutdown hooks, no finally blocks) at the first call
 * to either LM after the directory holds {@code args[1]} finished steps (proposal calls and
 * evaluations).
 */
final class CoproCheckpointChild {

    private CoproCheckpointChild() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int haltAfter = Integer.parseInt(args[1]);
        CoproCheckpointTest.optimize(dir, halting(CoproCheckpointTest.taskLm(), dir, haltAfter),
                halting(CoproCheckpointTest.promptLm(), dir, haltAfter));
        System.exit(0);   // the run finished before halting: the test fails on this exit code
    }

    private static Lm halting(Lm scripted, Path dir, int haltAfter) {
        return new Lm() {
            @Override
            public LmResponse call(LmRequest request) {
                if (stepFiles(dir, "") >= haltAfter) {
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

    /** The checkpoint files of finished steps whose name starts with {@code prefix} ("" for all). */
    static long stepFiles(Path dir, String prefix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("proposals-") || n.startsWith("score-"))
                    .filter(n -> n.startsWith(prefix)).count();
        } catch (IOException e) {
            return 0;
        }
    }
}
