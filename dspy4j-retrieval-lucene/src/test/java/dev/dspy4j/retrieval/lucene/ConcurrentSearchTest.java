package dev.dspy4j.retrieval.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.retrieve.Passage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ConcurrentSearchTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void manyVirtualThreadsSearchWhileAnotherUpdatesAndSeeChangesMonotonically() throws Exception {
        HashingEmbedder embedder = new HashingEmbedder(128);
        try (LuceneIndex index = LuceneIndex.builder(dir).embedder(embedder).batchSize(8).create()) {
            // given an index of 40 passages
            index.addAll(LuceneIndexTest.corpus().limit(40).toList());
            index.commit();
            AtomicInteger published = new AtomicInteger(40); // passages a refresh has made visible
            AtomicBoolean writing = new AtomicBoolean(true);
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> regressions = new ConcurrentLinkedQueue<>();

            // when 32 virtual threads search in every mode while the writer adds 200 passages in steps
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> readers = new ArrayList<>();
                for (int t = 0; t < 32; t++) {
                    SearchMode mode = SearchMode.values()[t % 3];
                    readers.add(threads.submit(() -> {
                        int lastSeen = 0;
                        while (writing.get()) {
                            try {
                                int atLeast = published.get();
                                int seen = index.size();
                                List<Passage> hits = index.search("famous bread rivers", 5, mode);
                                if (seen < lastSeen || seen < atLeast) {
                                    regressions.add("saw " + seen + " after " + lastSeen + " (published " + atLeast + ")");
                                }
                                if (hits.size() != 5) {
                                    regressions.add(mode + " gave " + hits.size() + " hits");
                                }
                                lastSeen = seen;
                                // virtual threads are not preempted: park a moment so the embedding threads get a carrier
                                Thread.sleep(1);
                            } catch (RuntimeException e) {
                                errors.add(e);
                                return;
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }));
                }
                List<Passage> more = LuceneIndexTest.corpus().skip(40).limit(200).toList();
                try {
                    for (int step = 0; step < more.size(); step += 20) {
                        index.addAll(more.subList(step, step + 20));
                        if (step % 40 == 0) {
                            index.commit();
                        } else {
                            index.refresh();
                        }
                        published.set(40 + step + 20);
                    }
                } finally {
                    writing.set(false);
                }
                for (Future<?> reader : readers) {
                    reader.get(60, TimeUnit.SECONDS);
                }
            }

            // then no search failed, no thread saw the index shrink or lag a refresh, and all see 240
            assertThat(errors).isEmpty();
            assertThat(regressions).isEmpty();
            assertThat(index.size()).isEqualTo(240);
        }
    }
}
