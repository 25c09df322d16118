package dev.dspy4j.examples;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.media.Image;
import dev.dspy4j.module.Predict;
import dev.dspy4j.module.TypedModule;
import dev.dspy4j.signature.Desc;
import dev.dspy4j.signature.Instructions;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Image classification with a typed signature: a record with an {@link Image} component in, a
 * record with an enum and a string out. Classifies the small picture shipped with the examples
 * ({@code red-circle.png}), or the image file given as the first argument.
 *
 * <p>The model comes from {@code DSPY4J_MODEL} and the provider's usual variables, as in
 * {@link Quickstart}; use a model that accepts images (e.g. {@code openai/gpt-4o-mini}). Exit
 * status: 0 on success, 2 when nothing is configured, 1 when the provider fails.
 */
public final class ImageClassificationExample {

    /** The shapes the classifier knows. */
    public enum Shape { CIRCLE, SQUARE, TRIANGLE, OTHER }

    /**
     * The input: one picture.
     *
     * @param picture the image to classify
     */
    public record Picture(@Desc("a small picture of one shape") Image picture) {}

    /**
     * The output: which shape, and its colour.
     *
     * @param shape the shape drawn
     * @param colour the shape's main colour, in one word
     */
    @Instructions("Name the shape drawn in the picture and its main colour.")
    public record ShapeLabel(Shape shape, @Desc("one word") String colour) {}

    /** The picture shipped with the examples: a red disc on white, 64 by 64 pixels. */
    static final String SAMPLE = "red-circle.png";

    private ImageClassificationExample() {}

    /** Entry point: {@code [image file]}; exits with the status described in the class comment. */
    public static void main(String[] args) {
        System.exit(run(System.getenv(), args, System.out, System.err));
    }

    /** The classifier: a typed {@code Predict} from {@link Picture} to {@link ShapeLabel}. */
    static TypedModule<Picture, ShapeLabel> classifier() {
        return Predict.typed(Picture.class, ShapeLabel.class);
    }

    /** The shipped sample picture. */
    static Image sample() {
        try (InputStream in = Objects.requireNonNull(ImageClassificationExample.class.getResourceAsStream(SAMPLE),
                SAMPLE + " is missing from the examples' resources")) {
            return Image.fromBytes(in.readAllBytes(), "image/png");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs the example.
     *
     * @param environment where the model name, keys and base URLs are read from
     * @param args an optional image file to classify instead of the sample
     * @param out where results go
     * @param err where problems go
     * @return the exit status
     */
    public static int run(Map<String, String> environment, String[] args, PrintStream out, PrintStream err) {
        Optional<Lm> configured = ExampleLm.fromEnvironment(environment, err);
        if (configured.isEmpty()) {
            return 2;
        }
        Image image;
        try {
            image = args.length > 0 ? Image.fromPath(Path.of(args[0])) : sample();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            err.println(e.getMessage());
            return 2;
        }
        ShapeLabel label;
        try {
            label = classifier().call(new Picture(image), DspyContext.of(configured.get()));
        } catch (LmException e) {
            err.println("The LM call failed: " + e.getMessage());
            return 1;
        }
        out.println("image:  " + (args.length > 0 ? args[0] : SAMPLE) + " (" + image + ")");
        out.println("shape:  " + label.shape());
        out.println("colour: " + label.colour());
        return 0;
    }
}
