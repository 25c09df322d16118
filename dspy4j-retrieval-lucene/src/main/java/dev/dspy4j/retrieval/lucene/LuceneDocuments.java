package dev.dspy4j.retrieval.lucene;

import dev.dspy4j.retrieve.Passage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.jspecify.annotations.Nullable;

/** How passages are stored as Lucene documents, and how a query's text becomes a BM25 query. */
final class LuceneDocuments {

    static final String ID = "id";
    static final String TEXT = "text";
    static final String VECTOR = "vector";
    /** Metadata fields are stored as {@code meta.<key>}, their values as strings. */
    static final String META = "meta.";
    /** At most this many distinct terms of a query are searched (Lucene's default clause limit is 1024). */
    static final int MAX_QUERY_TERMS = 1024;

    private LuceneDocuments() {
    }

    static Document document(Passage passage, float @Nullable [] vector) {
        Document document = new Document();
        document.add(new StringField(ID, passage.id(), Field.Store.YES));
        document.add(new TextField(TEXT, passage.text(), Field.Store.YES));
        if (vector != null) {
            document.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.COSINE));
        }
        passage.metadata().forEach((key, value) -> document.add(new StoredField(META + key, value.toString())));
        return document;
    }

    static Passage passage(Document document, double score) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (IndexableField field : document.getFields()) {
            if (field.name().startsWith(META) && field.stringValue() != null) {
                metadata.put(field.name().substring(META.length()), field.stringValue());
            }
        }
        String id = document.get(ID);
        String text = document.get(TEXT);
        return new Passage(id == null ? "" : id, text == null ? "" : text, score, metadata);
    }

    static Term idTerm(String id) {
        return new Term(ID, id);
    }

    /** Any of the query's analyzed terms, BM25-scored; {@code null} if the analyzer leaves none. */
    static @Nullable Query lexical(Analyzer analyzer, String query) {
        Set<String> terms = new LinkedHashSet<>();
        try (TokenStream tokens = analyzer.tokenStream(TEXT, query)) {
            CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
            tokens.reset();
            while (tokens.incrementToken() && terms.size() < MAX_QUERY_TERMS) {
                terms.add(term.toString());
            }
            tokens.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a String does not fail
        }
        if (terms.isEmpty()) {
            return null;
        }
        BooleanQuery.Builder builder = new BooleanQuery.Builder();
        for (String term : terms) {
            builder.add(new TermQuery(new Term(TEXT, term)), BooleanClause.Occur.SHOULD);
        }
        return builder.build();
    }
}
