package dev.dspy4j.cache;

import dev.dspy4j.lm.LmResponse;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cache tier in a directory: one file per response, safe to share between processes and
 * between threads, and safe against a process killed mid-write.
 *
 * <p><b>Layout.</b> Under the directory, {@code v1/} holds this format version's data: 256 shard
 * directories {@code 00}..{@code ff} named by the first two hex digits of the file name, each file
 * {@code <sha256(key)>.entry}, and {@code tmp/} for writes in progress.
 *
 * <p><b>Crash safety.</b> A put writes the whole entry to a fresh file in {@code v1/tmp/} (same
 * file system) and renames it over the target atomically, so readers see the old entry or the new
 * one, never a partial one; concurrent writers of one key each install a complete entry, and the
 * last rename wins. Every entry carries a magic number, a format version, its key, its length and
 * a CRC32C checksum; an entry that fails any check (a torn or corrupted file, e.g. after a power
 * loss, since writes are not fsync'ed) is served as a miss and deleted. Temporary files left by a
 * killed writer are never read, and are deleted when a {@code DiskCache} opens the directory and
 * finds them older than ten minutes. Files are created with the process's umask, as DSPy's cache
 * does; restrict the directory itself if prompts are sensitive.
 *
 * <p><b>Laziness.</b> Building a {@code DiskCache} touches nothing; the directory is created on
 * the first {@link #get} or {@link #put}. If it cannot be created (a read-only or missing home
 * directory, say), the cache logs one WARN and serves misses; it never throws for I/O. The same
 * holds for failures later on (disk full, permissions): a miss or a dropped put, one WARN per
 * outage.
 *
 * <p><b>Size cap.</b> Unbounded by default. With {@link Builder#maxBytes(long)}, the cache sums
 * its entries when it opens, and when the sum passes the cap it deletes the entries with the
 * oldest modification time until it is 10% under the cap. A hit refreshes its file's
 * modification time, so eviction is least-recently-used across every process sharing the
 * directory. Each process tracks the total approximately between sweeps; a sweep recounts.
 *
 * <p>Thread-safe.
 */
public final class DiskCache implements LmCache {

    /** The environment variable naming the default directory. */
    public static final String DIRECTORY_ENV = "DSPY4J_CACHE_DIR";

    static final String LAYOUT = "v1";
    static final String TEMP = "tmp";
    static final String SUFFIX = ".entry";
    static final Duration STALE_TEMP_AGE = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(DiskCache.class);

    private final Path directory;
    private final long maxBytes;
    private final OutageWarning outage;
    private final String writerId = Long.toHexString(ProcessHandle.current().pid()) + "-"
            + Long.toHexString(ThreadLocalRandom.current().nextLong());
    private final AtomicLong writes = new AtomicLong();
    private final ReentrantLock openLock = new ReentrantLock();
    private final Path root; // the layout's directory, holding the entries
    private final Path temp; // where entries are written before they are moved in place
    private volatile boolean opened;
    private volatile boolean usable;
    private volatile boolean writable;
    private @Nullable DiskEviction eviction; // set by open() when capped and writable

    private DiskCache(Builder builder) {
        this.directory = builder.directory != null ? builder.directory : defaultDirectory();
        this.root = directory.resolve(LAYOUT);
        this.temp = root.resolve(TEMP);
        this.maxBytes = builder.maxBytes;
        this.outage = new OutageWarning(LOG, "Disk cache at " + directory);
    }

    /**
     * The default directory: {@code $DSPY4J_CACHE_DIR} if set, else {@code ~/.dspy4j/cache}.
     * Computing it does not touch the file system.
     */
    public static Path defaultDirectory() {
        String env = System.getenv(DIRECTORY_ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home", "."), ".dspy4j", "cache");
    }

    /** A cache in the {@linkplain #defaultDirectory() default directory}, unbounded. */
    public static DiskCache atDefaultDirectory() {
        return builder().build();
    }

    /** A cache in the given directory, unbounded. */
    public static DiskCache at(Path directory) {
        return builder().directory(directory).build();
    }

    /** A builder with the default directory and no size cap. */
    public static Builder builder() {
        return new Builder();
    }

    /** The directory this cache uses (which may not exist yet). */
    public Path directory() {
        return directory;
    }

    @Override
    public Optional<LmResponse> get(String key) {
        Objects.requireNonNull(key, "key");
        if (!open()) {
            return Optional.empty();
        }
        Path file = fileFor(key);
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > DiskEntry.maxFileSize()) {
                discard(file, "entry file is " + size + " bytes, larger than any valid entry");
                return Optional.empty();
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            outage.succeeded();
            return Optional.empty();
        } catch (IOException | SecurityException e) {
            outage.failed("cannot read " + file, e);
            return Optional.empty();
        }
        outage.succeeded();
        LmResponse response;
        try {
            DiskEntry.Unframed entry = DiskEntry.unframe(bytes);
            if (!entry.key().equals(key)) {
                return Optional.empty(); // another key with the same file name: a SHA-256 collision
            }
            response = LmResponseCodec.decode(entry.payload());
        } catch (CacheFormatException e) {
            discard(file, e.getMessage());
            return Optional.empty();
        }
        if (eviction != null && writable) {
            touch(file);
        }
        return Optional.of(response);
    }

    @Override
    public void put(String key, LmResponse response) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(response, "response");
        byte[] bytes = DiskEntry.frame(key, LmResponseCodec.encode(response));
        if (!open() || !writable) {
            return;
        }
        Path target = fileFor(key);
        Path tmp = null;
        try {
            // a name unique to this writer, cheaper than Files.createTempFile's random probing
            tmp = temp.resolve(target.getFileName().toString().substring(0, 8) + "-" + writerId + "-"
                    + writes.incrementAndGet() + ".tmp");
            Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                move(tmp, target);
            } catch (NoSuchFileException e) {
                Files.createDirectories(target.getParent()); // first entry in this shard
                move(tmp, target);
            }
            tmp = null;
            outage.succeeded();
        } catch (IOException | SecurityException e) {
            outage.failed("cannot write " + target, e);
            return;
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp);
            }
        }
        if (eviction != null) {
            eviction.added(bytes.length);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system cannot rename atomically; a disk cache needs it", e);
        }
    }

    /** Creates the layout on first use; false if the cache cannot be used at all. */
    private boolean open() {
        if (opened) {
            return usable;
        }
        openLock.lock();
        try {
            if (opened) {
                return usable;
            }
            try {
                Files.createDirectories(temp);
                writable = true;
            } catch (IOException | SecurityException e) {
                if (Files.isDirectory(root)) {
                    LOG.warn("Disk cache at {} is read-only ({}); serving existing entries, storing none",
                            directory, e.toString());
                } else {
                    LOG.warn("Disk cache at {} cannot be created ({}); it will serve misses. Set {} or "
                            + "configure another directory to use a disk cache", directory, e.toString(), DIRECTORY_ENV);
                    opened = true;
                    return false;
                }
            }
            usable = true;
            if (writable) {
                removeStaleTempFiles(temp);
                if (maxBytes > 0) {
                    eviction = new DiskEviction(root, maxBytes, LOG);
                    eviction.recount();
                }
            }
            opened = true;
            return true;
        } finally {
            openLock.unlock();
        }
    }

    private static void removeStaleTempFiles(Path tmp) {
        Instant staleBefore = Instant.now().minus(STALE_TEMP_AGE);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp, "*.tmp")) {
            for (Path file : files) {
                try {
                    if (Files.getLastModifiedTime(file).toInstant().isBefore(staleBefore)) {
                        Files.deleteIfExists(file);
                    }
                } catch (IOException e) {
                    // another process removed or is removing it
                }
            }
        } catch (IOException e) {
            LOG.debug("Cannot list {} for stale temporary files: {}", tmp, e.toString());
        }
    }

    Path fileFor(String key) {
        String name = CacheKey.sha256Hex(key);
        return root.resolve(name.substring(0, 2)).resolve(name + SUFFIX);
    }

    private void discard(Path file, @Nullable String reason) {
        LOG.debug("Dropping corrupt disk cache entry {}: {}", file, reason);
        if (writable) {
            deleteQuietly(file);
        }
    }

    private static void touch(Path file) {
        try {
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
        } catch (IOException e) {
            // evicted or replaced meanwhile: nothing to refresh
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("Cannot delete {}: {}", file, e.toString());
        }
    }

    @Override
    public String toString() {
        return "DiskCache[" + directory + (maxBytes > 0 ? ", maxBytes=" + maxBytes : "") + "]";
    }

    /** Configures a {@link DiskCache}; every setting is optional. Not thread-safe. */
    public static final class Builder {
        private @Nullable Path directory;
        private long maxBytes;

        private Builder() {
        }

        /**
         * The directory to use, created on first use.
         *
         * @param directory the directory; default {@link DiskCache#defaultDirectory()}
         * @return this builder
         * @throws NullPointerException if {@code directory} is null
         */
        public Builder directory(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * Caps the total size of the entries; the least recently used go first.
         *
         * @param maxBytes the cap in bytes, at least 1; default none
         * @return this builder
         * @throws IllegalArgumentException if {@code maxBytes} is below 1
         */
        public Builder maxBytes(long maxBytes) {
            if (maxBytes < 1) {
                throw new IllegalArgumentException("maxBytes must be >= 1, was " + maxBytes);
            }
            this.maxBytes = maxBytes;
            return this;
        }

        /** The cache; touches no file until its first use. */
        public DiskCache build() {
            return new DiskCache(this);
        }
    }
}
