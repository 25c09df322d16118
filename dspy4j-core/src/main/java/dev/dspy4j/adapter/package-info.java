/**
 * Adapters: how a {@link dev.dspy4j.signature.Signature} becomes LM messages and how the LM's reply
 * becomes typed outputs.
 *
 * <p>An {@link dev.dspy4j.adapter.Adapter} formats a call as a system message (the fields, the
 * structure the reply must follow, the instructions), demos as user/assistant pairs, the turns of a
 * {@code History} input, and a final user message; then parses each completion back into output
 * values. The formats are DSPy 3.3.1's, byte for byte, pinned by the golden cases in
 * {@code shared/golden}: changing them is a breaking change, because caches and saved programs
 * depend on the exact prompt.
 *
 * <ul>
 *   <li>{@link dev.dspy4j.adapter.ChatAdapter} (the default): {@code [[ ## field ## ]]} sections;
 *       falls back to the JSON adapter when a call fails;
 *   <li>{@link dev.dspy4j.adapter.JsonAdapter}: outputs as one JSON object, with JSON mode or
 *       structured outputs when the LM supports them;
 *   <li>{@link dev.dspy4j.adapter.XmlAdapter}: {@code <field>} tags.
 * </ul>
 *
 * <p>A custom adapter implements {@link dev.dspy4j.adapter.Adapter}'s {@code name},
 * {@code formatSystemMessage}, {@code format} and {@code parse}; the default {@code call} does the
 * rest through the {@link dev.dspy4j.adapter.CallContext} it is given. The pieces the built-in
 * adapters share (DSPy's {@code parse_value}, pydantic's JSON schemas, the field lists and type
 * notes, Python's spelling of values, lenient JSON and literal reading) are not API: they stay in
 * this package or in the non-exported {@code dev.dspy4j.internal.python}, so that they can follow
 * DSPy without breaking anyone.
 *
 * <p>All adapters are immutable and thread-safe; per-signature text is memoized on the signature.
 */
@NullMarked
package dev.dspy4j.adapter;

import org.jspecify.annotations.NullMarked;
