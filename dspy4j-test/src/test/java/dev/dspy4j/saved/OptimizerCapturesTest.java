package dev.dspy4j.saved;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The optimizer runs captured from DSPy under {@code shared/next/optimizers/}: one dynamic test per
 * folder, so captures added later are seen. A capture whose optimizer is not built is skipped saying
 * so. A built optimizer's replay lives beside it in its own module (this module cannot depend on
 * dspy4j-optimize: its tests depend on this one); the test here checks that the replay exists. A
 * capture of a built optimizer with no replay fails, so it cannot be skipped unnoticed.
 */
class OptimizerCapturesTest {

    /** Optimizers that are not built yet, with the work that builds them. */
    private static final Map<String, String> NOT_BUILT = Map.of(
            "COPRO", "instruction optimizers",
            "SIMBA", "instruction optimizers", "GEPA", "instruction optimizers");

    /** Built optimizers whose captured runs are replayed in another module: the replay's source file. */
    private static final Map<String, String> REPLAYED_IN = Map.of(
            "MIPROv2", "dspy4j-optimize/src/test/java/dev/dspy4j/optimize/MiproV2CaptureTest.java");

    @TestFactory
    Stream<DynamicTest> eachCapturedOptimizerRunReplaysOnceItsOptimizerExists() throws IOException {
        Path directory = SavedPrograms.directory().getParent().resolve("next").resolve("optimizers");
        List<Path> folders = new ArrayList<>();
        if (Files.isDirectory(directory)) {
            try (Stream<Path> entries = Files.list(directory)) {
                entries.filter(Files::isDirectory).sorted().forEach(folders::add);
            }
        }
        return folders.stream().map(folder -> dynamicTest("next/optimizers/" + folder.getFileName(), () -> {
            Map<String, Object> setup = SavedPrograms.readObject(folder.resolve("setup.json"));
            Object optimizer = setup.get("optimizer");
            String work = NOT_BUILT.get(String.valueOf(optimizer));
            Assumptions.assumeTrue(work == null, () -> optimizer + " is not built yet (" + work + ")");
            String replay = REPLAYED_IN.get(String.valueOf(optimizer));
            if (replay != null && Files.isRegularFile(Path.of("..").resolve(replay))) {
                return;
            }
            fail("No replay runner for the captured " + optimizer + " run in " + folder
                    + "; write one that checks calls.json and result.json");
        }));
    }
}
