package dev.dspy4j.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.lm.LmResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskCacheTest {

    @TempDir
    Path dir;

    @Test
    void responsesSurviveANewCacheInstanceOnTheSameDirectory() {
        DiskCache.at(dir).put("key", CacheFixtures.richResponse("Paris"));

        assertThat(DiskCache.at(dir).get("key")).contains(CacheFixtures.richResponse("Paris"));
        assertThat(DiskCache.at(dir).get("other")).isEmpty();
    }

    @Test
    void storesEntriesInShardDirectoriesUnderAVersionedLayout() throws IOException {
        DiskCache cache = DiskCache.at(dir);
        cache.put("key", LmResponse.of("x"));

        Path file = cache.fileFor("key");
        String name = CacheKey.sha256Hex("key");
        assertThat(file).isEqualTo(dir.resolve("v1").resolve(name.substring(0, 2)).resolve(name + ".entry"));
        assertThat(file).isRegularFile();
        try (Stream<Path> temps = Files.list(dir.resolve("v1/tmp"))) {
            assertThat(temps).isEmpty();
        }
    }

    @Test
    void buildingACacheTouchesNoFile() {
        Path missing = dir.resolve("not").resolve("yet");

        DiskCache cache = DiskCache.builder().directory(missing).maxBytes(1_000_000).build();

        assertThat(missing.getParent()).doesNotExist();
        assertThat(cache.directory()).isEqualTo(missing);
    }

    @Test
    void anUnusableDirectoryDegradesToMissesWithoutThrowing() throws IOException {
        // given a "directory" below a regular file, which nobody (not even root) can create
        Path file = Files.writeString(dir.resolve("home-is-a-file"), "x");
        DiskCache cache = DiskCache.at(file.resolve(".dspy4j").resolve("cache"));

        // when it is used, then it misses and drops puts, and never throws
        assertThat(cache.get("k")).isEmpty();
        cache.put("k", LmResponse.of("x"));
        assertThat(cache.get("k")).isEmpty();
    }

    @Test
    void tornAndCorruptEntriesAreMissesAndAreRemoved() throws IOException {
        List<UnaryOperator<byte[]>> damages = List.of(
                bytes -> Arrays.copyOf(bytes, bytes.length / 2), // torn in the middle
                bytes -> Arrays.copyOf(bytes, bytes.length - 1), // last byte missing
                bytes -> new byte[0], // created but never written
                bytes -> Arrays.copyOf(bytes, bytes.length + 1), // trailing garbage
                bytes -> flip(bytes, bytes.length / 2), // a flipped payload byte
                bytes -> flip(bytes, bytes.length - 1), // a flipped checksum byte
                bytes -> flip(bytes, 0), // bad magic
                bytes -> flip(bytes, 5)); // unknown format version
        DiskCache cache = DiskCache.at(dir);
        for (int i = 0; i < damages.size(); i++) {
            String key = "damaged-" + i;
            cache.put(key, CacheFixtures.richResponse("v" + i));
            Path file = cache.fileFor(key);
            Files.write(file, damages.get(i).apply(Files.readAllBytes(file)));

            assertThat(cache.get(key)).as("damage %d", i).isEmpty();
            assertThat(file).as("damage %d", i).doesNotExist();

            cache.put(key, CacheFixtures.richResponse("v" + i));
            assertThat(cache.get(key)).as("damage %d", i).contains(CacheFixtures.richResponse("v" + i));
        }
    }

    @Test
    void aValidlyFramedEntryWithAnUnreadablePayloadIsRemoved() throws IOException {
        DiskCache cache = DiskCache.at(dir);
        cache.put("k", LmResponse.of("x"));
        Files.write(cache.fileFor("k"), DiskEntry.frame("k", "{\"format\":\"dspy4j.lm-response\",\"version\":99}".getBytes()));

        assertThat(cache.get("k")).isEmpty();
        assertThat(cache.fileFor("k")).doesNotExist();
    }

    @Test
    void anEntryStoredForAnotherKeyIsNotServed() throws IOException {
        DiskCache cache = DiskCache.at(dir);
        cache.put("a", LmResponse.of("A"));
        cache.put("b", LmResponse.of("B"));
        Files.copy(cache.fileFor("a"), cache.fileFor("b"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThat(cache.get("b")).isEmpty();
    }

    @Test
    void temporaryFilesAreNeverServedAndStaleOnesAreRemovedOnOpen() throws IOException {
        DiskCache.at(dir).put("k", LmResponse.of("x")); // creates the layout
        Path temp = dir.resolve("v1/tmp");
        Path stale = Files.write(temp.resolve("0123abcd-1.tmp"), new byte[] {1, 2, 3});
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        Path fresh = Files.write(temp.resolve("0123abcd-2.tmp"), new byte[] {1, 2, 3});

        DiskCache reopened = DiskCache.at(dir);
        assertThat(reopened.get("k")).contains(LmResponse.of("x"));

        assertThat(stale).doesNotExist();
        assertThat(fresh).exists(); // may belong to a live writer in another process
    }

    @Test
    void aSizeCapEvictsTheLeastRecentlyUsedEntries() throws IOException {
        // given three equal-sized entries whose files are 300, 200 and 100 seconds old
        DiskCache probe = DiskCache.at(dir.resolve("probe"));
        probe.put("a", LmResponse.of("A"));
        long entrySize = Files.size(probe.fileFor("a"));
        DiskCache cache = DiskCache.builder().directory(dir.resolve("capped")).maxBytes(entrySize * 7 / 2).build();
        cache.put("a", LmResponse.of("A"));
        cache.put("b", LmResponse.of("B"));
        cache.put("c", LmResponse.of("C"));
        age(cache.fileFor("a"), 300);
        age(cache.fileFor("b"), 200);
        age(cache.fileFor("c"), 100);

        // when "a" is read (a use) and a fourth entry passes the cap
        assertThat(cache.get("a")).isPresent();
        cache.put("d", LmResponse.of("D"));

        // then the least recently used, "b", is gone
        assertThat(cache.get("b")).isEmpty();
        assertThat(cache.get("a")).isPresent();
        assertThat(cache.get("c")).isPresent();
        assertThat(cache.get("d")).isPresent();
    }

    @Test
    void aSizeCapIsEnforcedOnOpenForEntriesWrittenBefore() throws IOException {
        DiskCache unbounded = DiskCache.at(dir);
        for (int i = 0; i < 10; i++) {
            unbounded.put("k" + i, LmResponse.of("value " + i));
            age(unbounded.fileFor("k" + i), 100 - i);
        }
        long entrySize = Files.size(unbounded.fileFor("k0"));

        DiskCache capped = DiskCache.builder().directory(dir).maxBytes(entrySize * 5).build();
        capped.get("anything"); // opens

        assertThat(capped.get("k0")).isEmpty();
        assertThat(capped.get("k9")).isPresent();
        long kept = Stream.iterate(0, i -> i + 1).limit(10).filter(i -> Files.exists(capped.fileFor("k" + i))).count();
        assertThat(kept).isLessThanOrEqualTo(5);
    }

    @Test
    void builderRejectsANonPositiveCap() {
        assertThatThrownBy(() -> DiskCache.builder().maxBytes(0)).hasMessageContaining("maxBytes must be >= 1, was 0");
    }

    @Test
    void defaultDirectoryIsUnderTheHomeDirectoryUnlessTheEnvironmentSaysOtherwise() {
        String env = System.getenv(DiskCache.DIRECTORY_ENV);
        Path expected = env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".dspy4j", "cache");

        assertThat(DiskCache.defaultDirectory()).isEqualTo(expected);
    }

    @Test
    void staysConsistentUnderConcurrentGetsAndPutsFromManyVirtualThreads() throws Exception {
        DiskCache cache = DiskCache.at(dir);
        List<Future<?>> futures = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < 100; t++) {
                int thread = t;
                futures.add(executor.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        String key = "k" + ((thread + i) % 50);
                        cache.put(key, CacheFixtures.richResponse(key));
                        assertThat(cache.get(key)).contains(CacheFixtures.richResponse(key));
                    }
                }));
            }
        }
        for (Future<?> f : futures) {
            f.get();
        }
        try (Stream<Path> temps = Files.list(dir.resolve("v1/tmp"))) {
            assertThat(temps).isEmpty();
        }
    }

    private static byte[] flip(byte[] bytes, int index) {
        byte[] copy = bytes.clone();
        copy[index] ^= 0x5A;
        return copy;
    }

    private static void age(Path file, long seconds) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(seconds)));
    }
}
