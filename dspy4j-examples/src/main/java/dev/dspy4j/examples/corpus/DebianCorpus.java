package dev.dspy4j.examples.corpus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Debian package-description corpus shipped with the examples ({@code corpus/debian/}): 4,094
 * passages from Debian 12 (bookworm) main, and 400 questions whose supporting passages are known
 * (300 answered by one passage, 100 needing two: a package's, then that of the library its
 * {@code Depends} line names). Provenance, licence and how it was built: {@code corpus/debian/README.md};
 * the builder is {@code scripts/corpus/build-debian-corpus.py}.
 *
 * <pre>{@code
 * DebianCorpus corpus = DebianCorpus.load();
 * Passage bash = corpus.passage("9wm").orElseThrow();
 * }</pre>
 *
 * <p>Immutable and thread-safe once loaded.
 *
 * @param passages every passage, sorted by id
 * @param questions every question, single-hop first
 */
public record DebianCorpus(List<Passage> passages, List<Question> questions) {

    /** Where the files are, as class-path resources. */
    public static final String PASSAGES = "corpus/debian/passages.jsonl.gz";
    /** The questions file, as a class-path resource. */
    public static final String QUESTIONS = "corpus/debian/questions.jsonl";

    /**
     * One package's passage.
     *
     * @param id the package name, unique
     * @param section the archive section ({@code libs}, {@code python}, ...)
     * @param synopsis the one-line description
     * @param description the long description, paragraphs separated by blank lines
     * @param depends the package names of its {@code Depends} and {@code Pre-Depends} (alternatives left out)
     * @param dependsInCorpus those of {@code depends} that have a passage here
     * @param text what to index: name, synopsis, description, section and depends line
     */
    public record Passage(String id, String section, String synopsis, String description, List<String> depends,
                          List<String> dependsInCorpus, String text) {
        public Passage {
            depends = List.copyOf(depends);
            dependsInCorpus = List.copyOf(dependsInCorpus);
        }
    }

    /**
     * A question with its known answer.
     *
     * @param id {@code q1-NNNN} for single-hop, {@code q2-NNNN} for two-hop
     * @param question the question text
     * @param answer a package name (single-hop) or a library's synopsis (two-hop)
     * @param answerId the passage that holds the answer
     * @param supportingIds the passages needed, in hop order
     * @param hops 1 or 2
     */
    public record Question(String id, String question, String answer, String answerId, List<String> supportingIds,
                           int hops) {
        public Question {
            supportingIds = List.copyOf(supportingIds);
        }
    }

    public DebianCorpus {
        passages = List.copyOf(passages);
        questions = List.copyOf(questions);
    }

    /**
     * Reads the corpus from the class path (about 0.3 s; 3.4 MB of text).
     *
     * @throws IllegalStateException if the files are missing
     * @throws UncheckedIOException if they cannot be read
     */
    public static DebianCorpus load() {
        JsonMapper json = JsonMapper.builder().build();
        List<Passage> passages = new ArrayList<>();
        try (BufferedReader lines = reader(PASSAGES, true)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                JsonNode p = json.readTree(line);
                passages.add(new Passage(p.get("id").stringValue(), p.get("section").stringValue(),
                        p.get("synopsis").stringValue(), p.get("description").stringValue(),
                        strings(p.get("depends")), strings(p.get("depends_in_corpus")), p.get("text").stringValue()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + PASSAGES, e);
        }
        List<Question> questions = new ArrayList<>();
        try (BufferedReader lines = reader(QUESTIONS, false)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                JsonNode q = json.readTree(line);
                questions.add(new Question(q.get("id").stringValue(), q.get("question").stringValue(),
                        q.get("answer").stringValue(), q.get("answer_id").stringValue(),
                        strings(q.get("supporting_ids")), q.get("hops").intValue()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + QUESTIONS, e);
        }
        return new DebianCorpus(passages, questions);
    }

    /** The passage of a package, if it is in the corpus. */
    public Optional<Passage> passage(String id) {
        return Optional.ofNullable(byId().get(id));
    }

    /** Passages by id, in id order. */
    public Map<String, Passage> byId() {
        Map<String, Passage> out = new LinkedHashMap<>();
        for (Passage p : passages) {
            out.put(p.id(), p);
        }
        return out;
    }

    private static BufferedReader reader(String resource, boolean gzip) throws IOException {
        InputStream in = DebianCorpus.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException(resource + " is not on the class path (it ships in dspy4j-examples'"
                    + " resources; rebuild it with scripts/corpus/build-debian-corpus.py)");
        }
        return new BufferedReader(new InputStreamReader(gzip ? new GZIPInputStream(in) : in, StandardCharsets.UTF_8));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>(array.size());
        for (JsonNode n : array) {
            out.add(n.stringValue());
        }
        return out;
    }
}
