package dev.dspy4j.optimize;

import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The child JVM of {@link GepaCheckpointTest} and {@link SimbaCheckpointTest}: runs the test's
 * optimization ({@code args[0]}: {@code GEPA} or {@code SIMBA}) with a checkpoint directory
 * ({@code args[1]}) and halts the JVM ({@code Runtime.halt}: no shutdown hooks, no finally
 * blocks) at the first LM call, of any LM, after the directory holds {@code args[2]} finished steps.
 */
final class StepCheckpointChild {

    private StepCheckpointChild() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[1]);
        int haltAfter = Integer.parseInt(args[2]);
        if (args[0].equals("GEPA")) {
            GepaCheckpointTest.optimize(dir, halting(GepaMergeRunTest.taskLm(), dir, haltAfter),
                    halting(GepaMergeRunTest.reflectionLm(), dir, haltAfter));
        } else {
            SimbaCheckpointTest.optimize(dir, halting(SimbaCheckpointTest.taskLm(), dir, haltAfter),
                    halting(SimbaCheckpointTest.promptLm(), dir, haltAfter));
        }
        System.exit(0);   // the run finished before halting: the test fails on this exit code
    }

    static List<String> command(String kind, Path dir, int haltAfter) {
        List<String> path = new ArrayList<>();
        for (String property : List.of("java.class.path", "jdk.module.path")) {
            String value = System.getProperty(property);
            if (value != null && !value.isEmpty()) {
                path.add(value);
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-cp", String.join(File.pathSeparator, path), StepCheckpointChild.class.getName(), kind,
                dir.toString(), Integer.toString(haltAfter));
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

    /** The step files (Gepa's or Simba's) in {@code dir}, sorted; temp files left out. */
    static List<String> stepFileNames(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> (n.startsWith("iteration-") || n.startsWith("step-")) && n.endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
