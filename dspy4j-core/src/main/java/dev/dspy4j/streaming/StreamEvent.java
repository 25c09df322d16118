package dev.dspy4j.streaming;

import dev.dspy4j.data.Prediction;
import java.util.Objects;

/**
 * What a {@link ProgramStream} yields: chunks of listened output fields, status messages, and
 * finally the program's prediction. Immutable.
 */
public sealed interface StreamEvent {

    /**
     * A piece of an output field as the LM writes it. The chunks of one field in one LM call
     * concatenate to the field's text as the adapter parses it (stripped as DSPy strips it); the
     * last one has {@code last == true} and may be empty.
     *
     * @param predictorPath the predictor whose call wrote it ({@code generate_answer.predict})
     * @param field the output field's name
     * @param chunk the new text
     * @param last whether the field is complete
     */
    record FieldChunk(String predictorPath, String field, String chunk, boolean last) implements StreamEvent {
        public FieldChunk {
            Objects.requireNonNull(predictorPath, "predictorPath");
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(chunk, "chunk");
        }
    }

    /**
     * A status message from the {@link StatusMessageProvider}, such as {@code Calling tool search...}.
     *
     * @param message the message
     */
    record Status(String message) implements StreamEvent {
        public Status {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * The program's final prediction, equal to what {@code program.call} returns. Always the last
     * event of a stream that succeeds.
     *
     * @param prediction the prediction
     */
    record Done(Prediction prediction) implements StreamEvent {
        public Done {
            Objects.requireNonNull(prediction, "prediction");
        }
    }
}
