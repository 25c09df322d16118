package dev.dspy4j.media;

import dev.dspy4j.lm.ContentPart;

/**
 * A media value of a signature field: an {@link Image}, {@link Audio}, {@link File} or
 * {@link Document}. Each is written into the user message as one {@link ContentPart}.
 *
 * <p>Implementations are immutable records.
 */
public sealed interface Media permits Image, Audio, File, Document {

    /**
     * The largest file the {@code fromPath} factories read: 20 MiB, the most any provider accepts
     * inline for one image (OpenAI); larger files fail with an error naming the file and its size.
     */
    long MAX_FILE_BYTES = 20L * 1024 * 1024;

    /** The content part this value is sent as. */
    ContentPart part();
}
