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
 * The child JVM of {@link MiproV2CheckpointTest}: runs its search with a checkpoint directory and
 * halts the JVM ({@code Runtime.halt}: no shutdown hooks, no finally blocks) at the first LM call
 * after the directory holds {@code args[1]} finished evaluations.
 */
final class MiproCheckpointChild {

    private MiproCheckpointChild() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int haltAfter = Integer.parseInt(args[1]);
        Lm scripted = MiproV2CheckpointTest.lm();
        Lm halting = new Lm() {
            @Override
            public LmResponse call(LmRequest request) {
                if (trialFiles(dir) >= haltAfter) {
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
        MiproV2CheckpointTest.search(dir, halting);
        System.exit(0);   // the search finished before halting: the test fails on this exit code
    }

    static long trialFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("trial-")).count();
        } catch (IOException e) {
            return 0;
        }
    }
}
