package dev.dspy4j.cache;

import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Usage;
import java.nio.file.Path;
import java.util.List;

/**
 * The child process of {@link DiskCacheProcessesTest}: writes entries into a disk cache.
 *
 * <p>Arguments: directory, writer name, number of keys (0 = unbounded, a new key each time),
 * rounds over the keys, payload size in characters. Prints {@code started}, then
 * {@code wrote <i>} after every put.
 */
public final class DiskCacheWriter {

    private DiskCacheWriter() {
    }

    public static void main(String[] args) {
        DiskCache cache = DiskCache.at(Path.of(args[0]));
        String writer = args[1];
        int keys = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        int payload = Integer.parseInt(args[4]);
        System.out.println("started");
        System.out.flush();
        if (keys == 0) {
            for (long i = 0; ; i++) {
                cache.put(key(i), response(writer, i, payload));
                System.out.println("wrote " + i);
                System.out.flush();
            }
        }
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < keys; i++) {
                cache.put(key(i), response(writer, i, payload));
            }
        }
        System.out.println("done");
        System.out.flush();
    }

    static String key(long i) {
        return "key-" + i;
    }

    static LmResponse response(String writer, long i, int payload) {
        String text = writer + ":" + i + ":" + "x".repeat(payload);
        return new LmResponse(List.of(Choice.of(text)), new Usage(i, payload), "test-model", false);
    }

    /** Whether a response read back is exactly one that some writer wrote for key {@code i}. */
    static boolean isValid(LmResponse response, long i, int payload, List<String> writers) {
        return writers.stream().anyMatch(w -> response.equals(response(w, i, payload)));
    }
}
