package dev.dspy4j.cache;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;

/**
 * Keeps a {@link DiskCache} under its size cap: tracks an estimate of the total, and when the
 * estimate passes the cap, recounts the directory and deletes the least recently modified entries
 * until the total is at the low-water mark (90% of the cap). One sweep at a time per process;
 * sweeps in several processes may overlap, which only deletes a little more.
 */
final class DiskEviction {

    private final Path layout;
    private final long maxBytes;
    private final long lowWater;
    private final Logger log;
    private final AtomicLong estimate = new AtomicLong();
    private final ReentrantLock sweeping = new ReentrantLock();

    DiskEviction(Path layout, long maxBytes, Logger log) {
        this.layout = layout;
        this.maxBytes = maxBytes;
        this.lowWater = maxBytes - maxBytes / 10;
        this.log = log;
    }

    /** Counts the entries now on disk, and sweeps if they exceed the cap. */
    void recount() {
        sweepIfOver(true);
    }

    /** Records a put (replacing an entry counts as growth until the next recount). */
    void added(long bytes) {
        if (estimate.addAndGet(bytes) > maxBytes) {
            sweepIfOver(false);
        }
    }

    long estimate() {
        return estimate.get();
    }

    private void sweepIfOver(boolean always) {
        if (!sweeping.tryLock()) {
            return; // another thread is sweeping
        }
        try {
            if (!always && estimate.get() <= maxBytes) {
                return;
            }
            List<Entry> entries = list();
            long total = 0;
            for (Entry e : entries) {
                total += e.size;
            }
            if (total > maxBytes) {
                entries.sort(Comparator.comparingLong(Entry::modified));
                int deleted = 0;
                for (Entry e : entries) {
                    if (total <= lowWater) {
                        break;
                    }
                    try {
                        if (Files.deleteIfExists(e.path)) {
                            deleted++;
                        }
                        total -= e.size; // gone either way
                    } catch (IOException ex) {
                        log.debug("Cannot evict {}: {}", e.path, ex.toString());
                    }
                }
                log.debug("Disk cache {} evicted {} entries to stay under {} bytes", layout, deleted, maxBytes);
            }
            estimate.set(total);
        } finally {
            sweeping.unlock();
        }
    }

    private List<Entry> list() {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(layout, "[0-9a-f][0-9a-f]")) {
            for (Path shard : shards) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(shard, "*" + DiskCache.SUFFIX)) {
                    for (Path file : files) {
                        try {
                            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                            entries.add(new Entry(file, attributes.size(), attributes.lastModifiedTime().toMillis()));
                        } catch (IOException e) {
                            // deleted meanwhile
                        }
                    }
                } catch (IOException e) {
                    log.debug("Cannot list {}: {}", shard, e.toString());
                }
            }
        } catch (IOException e) {
            log.debug("Cannot list {}: {}", layout, e.toString());
        }
        return entries;
    }

    private record Entry(Path path, long size, long modified) {
    }
}
