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
 * folder, so captures added later are seen. None can run yet: each names an instruction optimizer
 * that is not built, and is skipped saying so. A capture of an optimizer that does exist here fails,
 * so it cannot be skipped unnoticed once its optimizer is built without a replay runner.
 */
class OptimizerCapturesTest {

    /** Optimizers that are not built yet, with the work that builds them. */
    private static final Map<String, String> NOT_BUILT = Map.of(
            "COPRO", "instruction optimizers", "MIPROv2", "instruction optimizers",
            "SIMBA", "instruction optimizers");

    /**
     * Optimizers whose captures are replayed in their own module's tests: this module cannot depend
     * on {@code dspy4j-optimize}, which tests with it.
     */
    private static final Map<String, String> REPLAYED_ELSEWHERE = Map.of(
            "GEPA", "dspy4j-optimize: GepaCaptureReplayTest");

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
            String replayer = REPLAYED_ELSEWHERE.get(String.valueOf(optimizer));
            Assumptions.assumeTrue(replayer == null, () -> optimizer + " is replayed in " + replayer);
            fail("No replay runner for the captured " + optimizer + " run in " + folder
                    + "; write one that checks calls.json and result.json");
        }));
    }
}
