package dev.dspy4j.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.module.ChainOfThought;
import dev.dspy4j.module.Module;
import dev.dspy4j.provider.Lms;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rules in {@link SimulatedRagModel}'s javadoc, through a real loopback server and ChatAdapter prompts. */
class SimulatedRagModelTest {

    private static final String RECORDER = "recorder: Audio recorder for the studio\n\nRecords audio.\n\n"
            + "Section: sound\nDepends: libc6, libsndfile1, libtinyaudio0";
    private static final String SNDFILE = "libsndfile1: Library for reading/writing audio files\n\nC routines.\n\n"
            + "Section: libs\nDepends: libc6";
    private static final String OTHER = "jackmeter: Console meter for JACK\n\nShows levels.\n\nSection: sound\nDepends: libc6";

    private FakeLmServer server;
    private DspyContext context;

    @BeforeEach
    void start() {
        server = FakeLmServer.start(Dialect.OPENAI).respondWith(new SimulatedRagModel());
        context = DspyContext.of(Lms.of("openai/simulated", Map.of("OPENAI_BASE_URL", server.baseUrl().toString(),
                "OPENAI_API_KEY", "sk-sim")));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String question(String description) {
        return "A Debian package is described as \"" + description + "\". It depends on a shared library described"
                + " in this corpus: what is that library for?";
    }

    @Test
    void theFirstQueryIsTheQuestionsKeyPhrase() {
        ChainOfThought writer = ChainOfThought.of("context: list[str], question -> query");

        Prediction hop = writer.call(Map.of("context", List.of(), "question", question("Audio recorder for the studio")),
                context);

        assertThat(hop.getString("query")).isEqualTo("Audio recorder for the studio");
    }

    @Test
    void theDependsLineHopIsMadeOnSomeQuestionsAloneAndOnEveryOneWhenADemoShowsIt() {
        // given: the same second-hop prompt for 40 questions, without and with a demo of the move
        ChainOfThought plain = ChainOfThought.of("context: list[str], question -> query");
        Example demo = Example.of("context", List.of(OTHER.replace("Depends: libc6", "Depends: libc6, libjack0")),
                "question", question("Console meter for JACK"), "reasoning", "Its Depends line names libjack0.",
                "query", "libjack0");
        Module withDemo = plain.mapState((path, state) -> state.withDemos(List.of(demo)));

        int alone = 0;
        int afterDemo = 0;
        for (int i = 0; i < 40; i++) {
            String q = question("Audio recorder for the studio, take " + i);
            String without = plain.call(Map.of("context", List.of(RECORDER), "question", q), context).getString("query");
            String with = withDemo.call(Map.of("context", List.of(RECORDER), "question", q), context).getString("query");
            // generic runtime libraries (libc6) are left out of the library query
            alone += without.equals("libsndfile1 libtinyaudio0") ? 1 : 0;
            afterDemo += with.equals("libsndfile1 libtinyaudio0") ? 1 : 0;
        }

        assertThat(alone).isBetween(4, 24);   // about 30 %
        assertThat(afterDemo).isEqualTo(40);
    }

    @Test
    void itAnswersFromTheContextOnlyRightWhenTheLibraryWasRetrievedAndWrongOtherwise() {
        ChainOfThought answerer = ChainOfThought.of("context: list[str], question -> answer");
        String q = question("Audio recorder for the studio");

        String right = answerer.call(Map.of("context", List.of(OTHER, RECORDER, SNDFILE), "question", q), context)
                .getString("answer");
        String wrong = answerer.call(Map.of("context", List.of(RECORDER, OTHER), "question", q), context)
                .getString("answer");
        String single = answerer.call(Map.of("context", List.of(OTHER, RECORDER),
                "question", "Which Debian package fits this description: audio recorder for the studio?"), context)
                .getString("answer");

        assertThat(right).isEqualTo("Library for reading/writing audio files");
        assertThat(wrong).isEqualTo("Console meter for JACK");
        assertThat(single).isEqualTo("recorder");
    }

    @Test
    void asAJudgeItScoresRecallAndPrecisionByWordOverlap() {
        ChainOfThought judge = ChainOfThought.of(
                "question, ground_truth, system_response -> recall: float, precision: float");

        Prediction scores = judge.call(Map.of("question", "What is it for?",
                "ground_truth", "Library for reading/writing audio files",
                "system_response", "library for audio files and more"), context);

        // ground truth: library for reading writing audio files (6); response: library for audio files and more (6)
        assertThat(((Number) scores.get("recall")).doubleValue()).isCloseTo(0.67, within(0.001));
        assertThat(((Number) scores.get("precision")).doubleValue()).isCloseTo(0.67, within(0.001));
    }
}
