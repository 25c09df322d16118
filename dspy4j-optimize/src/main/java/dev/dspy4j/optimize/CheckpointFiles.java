package dev.dspy4j.optimize;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON files of one checkpoint directory, for any optimizer. Each file is written to a
 * hidden temp file, forced to disk, then renamed over its name with {@code ATOMIC_MOVE} and the
 * directory forced: a killed process leaves either the old file or the new one, never half of
 * one, and a file a later run reads is complete. Leftover temp files (names starting with a dot)
 * are ignored. Not thread-safe.
 */
final class CheckpointFiles {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path dir;

    CheckpointFiles(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CheckpointException("Cannot create the checkpoint directory " + dir + ": " + e, e);
        }
    }

    /** The names of the files in the directory, sorted, temp files left out. */
    List<String> names() {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new CheckpointException("Cannot list the checkpoint directory " + dir + ": " + e, e);
        }
    }

    /** The JSON object in {@code name}, or empty if there is no such file. */
    @SuppressWarnings("unchecked")
    Optional<Map<String, Object>> read(String name) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(dir.resolve(name));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new CheckpointException("Cannot read checkpoint file " + dir.resolve(name) + ": " + e, e);
        }
        try {
            Object value = JSON.readValue(new String(bytes, StandardCharsets.UTF_8), Object.class);
            if (!(value instanceof Map)) {
                throw bad(name, "it is not a JSON object");
            }
            return Optional.of((Map<String, Object>) value);
        } catch (JacksonException e) {
            throw bad(name, "it is not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
    }

    /** Writes {@code value} as JSON to {@code name}, atomically and durably. */
    void write(String name, Map<String, Object> value) {
        Path file = dir.resolve(name);
        Path temp = dir.resolve("." + name + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            byte[] json = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(json);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);   // the bytes are on disk before the rename makes them visible
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory();
        } catch (IOException e) {
            throw new CheckpointException("Cannot write checkpoint file " + file + ": " + e, e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // a leftover temp file is ignored by names() and overwritten by the next write
            }
        }
    }

    /** Makes the rename durable; some platforms (Windows) cannot open a directory, and need not. */
    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // the rename is still atomic; only its durability across a power loss is not forced
        }
    }

    CheckpointException bad(String name, String problem) {
        return bad(name, problem, null);
    }

    CheckpointException bad(String name, String problem, Throwable cause) {
        return new CheckpointException("Checkpoint file " + dir.resolve(name) + " is unusable: " + problem
                + ". It was not written by this version of dspy4j, or was changed or damaged since; delete the "
                + "directory " + dir + " to start the run over.", cause);
    }
}
