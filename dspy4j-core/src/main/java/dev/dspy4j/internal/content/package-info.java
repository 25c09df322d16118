/**
 * Internal: DSPy's custom-type markers, which carry content parts (images, audio, files,
 * documents) through the text of a prompt until the user message is split into parts. Not API;
 * not exported from the module.
 */
@NullMarked
package dev.dspy4j.internal.content;

import org.jspecify.annotations.NullMarked;
