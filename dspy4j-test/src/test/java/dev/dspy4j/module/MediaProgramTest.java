package dev.dspy4j.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.cache.CacheKey;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.lm.ContentPart;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.Message;
import dev.dspy4j.media.Image;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.testkit.ScriptedLm;
import dev.dspy4j.trace.LmHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Typed programs with image inputs: calls, saved demos, cache keys and history. */
class MediaProgramTest {

    enum Animal { CAT, DOG, BIRD }

    record Photo(Image photo) {}

    record Label(Animal animal) {}

    private static final Image CAT = Image.fromBytes(new byte[] {1, 2, 3}, "image/png");
    private static final Image DOG = Image.fromUrl("https://example.com/dog.jpg");

    @TempDir
    Path dir;

    @Test
    void aTypedPredictSendsTheImageAsAContentPartAndParsesTheLabel() {
        // given
        ScriptedLm lm = ScriptedLm.replying("[[ ## animal ## ]]\nCAT\n\n[[ ## completed ## ]]");
        TypedModule<Photo, Label> classify = Predict.typed(Photo.class, Label.class);

        // when
        Label label = classify.call(new Photo(CAT), DspyContext.of(lm));

        // then
        assertThat(label).isEqualTo(new Label(Animal.CAT));
        Message user = lm.lastRequest().messages().get(1);
        assertThat(user.content()).hasSize(3);
        assertThat(user.content().get(0)).isEqualTo(ContentPart.text("[[ ## photo ## ]]\n"));
        assertThat(user.content().get(1)).isEqualTo(new ContentPart.Image("data:image/png;base64,AQID"));
    }

    @Test
    void aSavedImageDemoIsWrittenInDspysShapeAndRendersTheSameAfterLoading() throws Exception {
        // given
        Example demo = Example.of("photo", DOG, "animal", Animal.DOG);
        TypedModule<Photo, Label> original = Predict.typed(Photo.class, Label.class)
                .mapState((path, s) -> s.withDemos(List.of(demo)));
        Path file = dir.resolve("classify.json");

        // when
        original.save(file);
        TypedModule<Photo, Label> loaded = Predict.typed(Photo.class, Label.class).load(file);
        ScriptedLm lm = ScriptedLm.replying("[[ ## animal ## ]]\nCAT\n\n[[ ## completed ## ]]");
        loaded.call(new Photo(CAT), DspyContext.of(lm));

        // then: DSPy saves a dspy.Image through its serializer, the marker string its adapters split
        assertThat(Files.readString(file)).contains("\"photo\": \"<<CUSTOM-TYPE-START-IDENTIFIER>>[{\\\"type\\\": "
                + "\\\"image_url\\\", \\\"image_url\\\": {\\\"url\\\": \\\"https://example.com/dog.jpg\\\"}}]"
                + "<<CUSTOM-TYPE-END-IDENTIFIER>>\"");
        Signature signature = loaded.state().predictor("self").signature();
        assertThat(lm.lastRequest().messages()).isEqualTo(
                ChatAdapter.DEFAULT.format(signature, List.of(demo), Map.of("photo", CAT)));
        assertThat(lm.lastRequest().messages().get(1).content()).containsExactly(
                ContentPart.text("[[ ## photo ## ]]\n"), DOG.part());
    }

    @Test
    void differentImagesGiveDifferentCacheKeysAndTheSameImageTheSameKey() {
        Signature signature = Signature.fromRecords(Photo.class, Label.class);

        String cat = key(signature, CAT);
        String dog = key(signature, DOG);
        String otherBytes = key(signature, Image.fromBytes(new byte[] {1, 2, 4}, "image/png"));

        assertThat(List.of(cat, dog, otherBytes)).doesNotHaveDuplicates();
        assertThat(key(signature, Image.fromBytes(new byte[] {1, 2, 3}, "image/png"))).isEqualTo(cat);
    }

    private static String key(Signature signature, Image image) {
        return CacheKey.of("openai/gpt-4o-mini",
                LmRequest.of(ChatAdapter.DEFAULT.format(signature, List.of(), Map.of("photo", image))));
    }

    @Test
    void inspectHistoryShowsTheImageAsDspyDoes() {
        LmHistory history = LmHistory.create();
        ScriptedLm lm = ScriptedLm.replying("[[ ## animal ## ]]\nDOG\n\n[[ ## completed ## ]]");

        Predict.typed(Photo.class, Label.class).call(new Photo(DOG), DspyContext.of(lm).withInterceptors(history));

        assertThat(history.inspectHistory(1)).contains("[[ ## photo ## ]]\n<image_url: https://example.com/dog.jpg>\n");
    }
}
