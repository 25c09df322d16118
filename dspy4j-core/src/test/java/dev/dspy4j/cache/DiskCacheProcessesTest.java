package dev.dspy4j.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.lm.LmResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The disk cache shared with another JVM: concurrent writers, and a writer killed mid-way. */
class DiskCacheProcessesTest {

    private static final int KEYS = 200;
    private static final int PAYLOAD = 2_000;

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void twoJvmsWritingTheSameKeysConcurrentlyLeaveOnlyValidEntries() throws Exception {
        // given a child JVM writing keys 0..199 three times over
        Process child = startWriter("child", KEYS, 3, PAYLOAD);
        try (BufferedReader out = stdout(child)) {
            assertThat(out.readLine()).isEqualTo("started");

            // when this JVM writes the same keys at the same time, from several threads
            DiskCache cache = DiskCache.at(dir);
            try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int t = 0; t < 2; t++) {
                    String writer = "parent" + t;
                    executor.submit(() -> {
                        for (int round = 0; round < 3; round++) {
                            for (int i = 0; i < KEYS; i++) {
                                cache.put(DiskCacheWriter.key(i), DiskCacheWriter.response(writer, i, PAYLOAD));
                            }
                        }
                    });
                }
            }
            assertThat(out.readLine()).isEqualTo("done");
        }
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isZero();

        // then every key reads back as one complete write from one of the writers
        List<String> writers = List.of("child", "parent0", "parent1");
        DiskCache reader = DiskCache.at(dir);
        for (int i = 0; i < KEYS; i++) {
            Optional<LmResponse> read = reader.get(DiskCacheWriter.key(i));
            assertThat(read).as("key %d", i).isPresent();
            assertThat(DiskCacheWriter.isValid(read.get(), i, PAYLOAD, writers)).as("key %d", i).isTrue();
        }
        assertThat(entryFiles()).hasSize(KEYS).allSatisfy(DiskCacheProcessesTest::assertWhole);
        assertThat(tempFiles()).isEmpty();
    }

    @Test
    @Timeout(120)
    void aWriterKilledMidWayLeavesOnlyCompleteEntries() throws Exception {
        // given a child JVM writing large entries in a loop
        int payload = 256 * 1024;
        Process child = startWriter("killed", 0, 0, payload);
        long lastReported = -1;
        try (BufferedReader out = stdout(child)) {
            assertThat(out.readLine()).isEqualTo("started");
            // when it is killed after some entries, most likely in the middle of one
            String line;
            while ((line = out.readLine()) != null) {
                lastReported = Long.parseLong(line.substring("wrote ".length()));
                if (lastReported >= 40) {
                    child.destroyForcibly();
                    break;
                }
            }
        }
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(lastReported).isGreaterThanOrEqualTo(40);

        // then every entry present is complete and valid, and every reported one is present
        DiskCache reader = DiskCache.at(dir);
        for (long i = 0; i <= lastReported + 50; i++) {
            Optional<LmResponse> read = reader.get(DiskCacheWriter.key(i));
            if (i <= lastReported) {
                assertThat(read).as("key %d", i).isPresent();
            }
            read.ifPresent(r -> assertThat(r).isEqualTo(DiskCacheWriter.response("killed", r.usage().promptTokens(), payload)));
        }
        assertThat(entryFiles()).allSatisfy(DiskCacheProcessesTest::assertWhole);

        // and a leftover temporary file is never served, and is removed once stale
        for (Path temp : tempFiles()) {
            Files.setLastModifiedTime(temp, FileTime.from(Instant.now().minusSeconds(3_600)));
        }
        DiskCache.at(dir).get(DiskCacheWriter.key(0));
        assertThat(tempFiles()).isEmpty();
    }

    private Process startWriter(String name, int keys, int rounds, int payload) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                DiskCacheWriter.class.getName(), dir.toString(), name,
                Integer.toString(keys), Integer.toString(rounds), Integer.toString(payload));
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        return builder.start();
    }

    private static BufferedReader stdout(Process process) {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    private List<Path> entryFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir.resolve("v1"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".entry")).toList();
        }
    }

    private List<Path> tempFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("v1").resolve("tmp"))) {
            return new ArrayList<>(files.toList());
        }
    }

    private static void assertWhole(Path file) {
        try {
            DiskEntry.Unframed entry = DiskEntry.unframe(Files.readAllBytes(file));
            assertThat(entry.key()).startsWith("key-");
            assertThat(LmResponseCodec.decode(entry.payload()).choices()).hasSize(1);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
