package dev.dspy4j.saved;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.dspy4j.module.Predict;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A saved program gets the permissions of any other new file (the umask), not the 0600 of a temp file. */
class SavedFilePermissionsTest {

    @TempDir
    Path dir;

    @Test
    void aNewSavedProgramHasTheSamePermissionsAsAnyNewFile() throws IOException {
        assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
        Set<PosixFilePermission> usual = Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain.txt")));

        Path saved = dir.resolve("program.json");
        Predict.of("question -> answer").save(saved);

        assertThat(Files.getPosixFilePermissions(saved)).isEqualTo(usual);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("plain.txt", "program.json");
        }
    }

    @Test
    void overwritingASavedProgramKeepsItsPermissions() throws IOException {
        assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
        Path saved = dir.resolve("program.json");
        Predict.of("question -> answer").save(saved);
        Set<PosixFilePermission> chosen = PosixFilePermissions.fromString("rw-r-----");
        Files.setPosixFilePermissions(saved, chosen);

        Predict.of("question -> answer").save(saved);

        assertThat(Files.getPosixFilePermissions(saved)).isEqualTo(chosen);
    }
}
