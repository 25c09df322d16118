package dev.dspy4j.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

class GepaMergeTest {

    // candidate 1 rewrote predictor a, candidate 2 rewrote b; both descend from 0 and lead on some examples
    private static final List<Map<String, String>> CANDIDATES = List.of(
            Map.of("a", "A0", "b", "B0"), Map.of("a", "A1", "b", "B0"), Map.of("a", "A0", "b", "B2"));
    private static final List<List<Integer>> PARENTS = List.of(List.of(), List.of(0), List.of(0));
    private static final List<Double> SCORES = List.of(0.2, 0.6, 0.6);
    private static final List<List<Double>> VAL = List.of(
            List.of(0.0, 0.0, 1.0, 0.0, 0.0), List.of(1.0, 1.0, 1.0, 0.0, 0.0), List.of(0.0, 0.0, 1.0, 1.0, 1.0));
    private static final List<SortedSet<Integer>> FRONTS = List.of(set(1), set(1), set(0, 1, 2), set(2), set(2));

    private static SortedSet<Integer> set(Integer... ids) {
        return new TreeSet<>(List.of(ids));
    }

    @Test
    void mergesTheInstructionEachDescendantChangedAndTriesItWhereEachParentLeads() {
        GepaMerge merge = new GepaMerge(5, new PythonRandom(0));
        merge.onNewProgram();

        GepaMerge.Proposal proposal = merge.propose(CANDIDATES, PARENTS, SCORES, VAL, FRONTS);

        assertThat(proposal).isNotNull();
        assertThat(proposal.candidate()).isEqualTo(Map.of("a", "A1", "b", "B2"));
        assertThat(List.of(proposal.id1(), proposal.id2())).containsExactly(1, 2);
        assertThat(new TreeSet<>(proposal.subsample())).containsExactly(0, 1, 2, 3, 4);
        assertThat(proposal.parentSum1()).isEqualTo(3.0);
        assertThat(proposal.parentSum2()).isEqualTo(3.0);
    }

    @Test
    void aMergeIsTriedOnlyWhenDueAfterANewProgramAndNeverTwice() {
        GepaMerge merge = new GepaMerge(5, new PythonRandom(0));
        assertThat(merge.propose(CANDIDATES, PARENTS, SCORES, VAL, FRONTS)).as("nothing due").isNull();

        merge.onNewProgram();
        assertThat(merge.propose(CANDIDATES, PARENTS, SCORES, VAL, FRONTS)).isNotNull();
        assertThat(merge.propose(CANDIDATES, PARENTS, SCORES, VAL, FRONTS)).as("the same triplet again").isNull();
    }

    @Test
    void mergesStopBeingScheduledOnceTheMaximumIsKept() {
        GepaMerge merge = new GepaMerge(1, new PythonRandom(0));
        merge.onNewProgram();
        merge.onMergeAccepted();
        merge.onNewProgram();
        assertThat(merge.due).isZero();
        assertThat(merge.propose(CANDIDATES, PARENTS, SCORES, VAL, FRONTS)).isNull();
    }

    @Test
    void noMergeWithoutTwoNonDominatedCandidatesOrWithTooSmallAValset() {
        GepaMerge merge = new GepaMerge(5, new PythonRandom(0));
        merge.onNewProgram();
        List<SortedSet<Integer>> oneLeader = List.of(set(1), set(1), set(0, 1, 2), set(1, 2), set(1, 2));
        assertThat(merge.propose(CANDIDATES, PARENTS, SCORES, VAL, oneLeader)).isNull();

        List<List<Double>> small = new ArrayList<>();
        VAL.forEach(row -> small.add(row.subList(0, 4)));
        assertThat(merge.propose(CANDIDATES, PARENTS, SCORES, small, FRONTS.subList(0, 4)))
                .as("gepa wants 5 valset examples in common").isNull();
    }
}
