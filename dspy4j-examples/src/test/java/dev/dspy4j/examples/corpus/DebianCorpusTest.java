package dev.dspy4j.examples.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.examples.corpus.DebianCorpus.Passage;
import dev.dspy4j.examples.corpus.DebianCorpus.Question;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DebianCorpusTest {

    static DebianCorpus corpus;

    @BeforeAll
    static void load() {
        corpus = DebianCorpus.load();
    }

    @Test
    void loadsAFewThousandPassagesWithUniqueIdsInIdOrder() {
        List<String> ids = corpus.passages().stream().map(Passage::id).toList();

        assertThat(ids).hasSize(4094).doesNotHaveDuplicates().isSorted();
        for (Passage p : corpus.passages()) {
            assertThat(p.text()).as(p.id()).startsWith(p.id() + ": " + p.synopsis()).contains(p.description());
            // the builder counts words as Python's split() does: on any Unicode white space
            assertThat(p.description().strip().split("(?U)\\s+").length).as(p.id()).isBetween(40, 220);
        }
    }

    @Test
    void hasThreeHundredSingleHopAndOneHundredTwoHopQuestionsWithUniqueIds() {
        assertThat(corpus.questions()).hasSize(400);
        assertThat(corpus.questions().stream().filter(q -> q.hops() == 1)).hasSize(300);
        assertThat(corpus.questions().stream().filter(q -> q.hops() == 2)).hasSize(100);
        assertThat(corpus.questions().stream().map(Question::id)).doesNotHaveDuplicates();
    }

    @Test
    void everySupportingPassageExistsAndHoldsTheAnswer() {
        Map<String, Passage> byId = corpus.byId();

        for (Question q : corpus.questions()) {
            assertThat(q.supportingIds()).as(q.id()).hasSize(q.hops()).allSatisfy(id -> assertThat(byId).containsKey(id));
            assertThat(q.supportingIds().get(q.hops() - 1)).as(q.id()).isEqualTo(q.answerId());
            Passage answer = byId.get(q.answerId());
            if (q.hops() == 1) {
                assertThat(q.answer()).isEqualTo(answer.id());
                assertThat(q.question()).as(q.id()).doesNotContain(answer.id() + " ");
            } else {
                assertThat(q.answer()).isEqualTo(answer.synopsis());
            }
        }
    }

    @Test
    void theSecondHopIsReachableOnlyThroughTheFirstPassagesDependsLine() {
        Map<String, Passage> byId = corpus.byId();

        for (Question q : corpus.questions().stream().filter(q -> q.hops() == 2).toList()) {
            Passage first = byId.get(q.supportingIds().get(0));
            Passage library = byId.get(q.supportingIds().get(1));
            // the library is the first passage's only dependency in the corpus: the answer is unique
            assertThat(first.dependsInCorpus()).as(q.id()).containsExactly(library.id());
            assertThat(first.text()).contains("Depends: ").contains(library.id());
            // the question names neither package: both hops need retrieval
            assertThat(q.question()).doesNotContain(library.id()).doesNotContain(library.synopsis());
            assertThat(library.section()).isEqualTo("libs");
        }
    }

    @Test
    void synopsesAreUniqueSoSingleHopAnswersAreUnambiguous() {
        Set<String> seen = new HashSet<>();

        for (Passage p : corpus.passages()) {
            assertThat(seen.add(p.synopsis().toLowerCase(java.util.Locale.ROOT))).as(p.id()).isTrue();
        }
    }
}
