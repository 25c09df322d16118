package dev.dspy4j.saved;

import static org.assertj.core.api.Assertions.assertThat;
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
 * folder, so captures added later are seen. A capture of an optimizer that is not built yet is
 * skipped saying so. The optimizers live in dspy4j-optimize, which this module cannot depend on
 * (dspy4j-optimize tests with this kit: the reactor would have a cycle), so each built optimizer's
 * capture is replayed by a test there, listed in {@link #REPLAYED_BY}; here the capture passes if
 * that test exists and names the capture's folder. A capture of a built optimizer with no replay
 * test fails, so it cannot be skipped unnoticed.
 */
class OptimizerCapturesTest {

    /** Optimizers not built yet, with the work that builds them (none today). */
    private static final Map<String, String> NOT_BUILT = Map.of();

    /** Built optimizers, with the test (a path from the repository root) that replays their capture. */
    private static final Map<String, String> REPLAYED_BY = Map.of(
            "COPRO", "dspy4j-optimize/src/test/java/dev/dspy4j/optimize/CoproCaptureTest.java",
            "MIPROv2", "dspy4j-optimize/src/test/java/dev/dspy4j/optimize/MiproV2CaptureTest.java",
            "GEPA", "dspy4j-optimize/src/test/java/dev/dspy4j/optimize/GepaCaptureReplayTest.java",
            "SIMBA", "dspy4j-optimize/src/test/java/dev/dspy4j/optimize/SimbaCaptureTest.java");

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
            String replay = REPLAYED_BY.get(String.valueOf(optimizer));
            if (replay != null) {
                Path test = Path.of("..").resolve(replay);
                assertThat(test).as("the test that replays " + folder).isRegularFile();
                assertThat(Files.readString(test)).as(replay + " names the capture folder")
                        .contains(folder.getFileName().toString());
                return;
            }
            fail("No replay runner for the captured " + optimizer + " run in " + folder
                    + "; write one that checks calls.json and result.json");
        }));
    }
}
