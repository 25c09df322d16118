/**
 * Media inputs: {@link dev.dspy4j.media.Image}, {@link dev.dspy4j.media.Audio},
 * {@link dev.dspy4j.media.File} and the citable {@link dev.dspy4j.media.Document}, the Java forms
 * of DSPy's {@code dspy.Image}, {@code dspy.Audio}, {@code dspy.File} and
 * {@code dspy.experimental.Document}.
 *
 * <p>Use them as input fields of typed signatures (a record component of type {@code Image} is a
 * field of type {@code Image}), in shorthand strings ({@code "photo: Image -> caption"}), in lists
 * ({@code List<Image>}), and in demos. Adapters write each value as a content part of the user
 * message exactly where DSPy puts it; the HTTP clients send each part in their provider's format.
 *
 * <p>All values are immutable records; their factories read files (bounded by
 * {@link dev.dspy4j.media.Media#MAX_FILE_BYTES}) but never touch the network.
 */
@NullMarked
package dev.dspy4j.media;

import org.jspecify.annotations.NullMarked;
