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
 * <p>The pieces every adapter shares are public so that custom adapters can reuse them:
 * {@link dev.dspy4j.adapter.PythonValues} (values as DSPy prints them),
 * {@link dev.dspy4j.adapter.JsonRepair} (lenient reading of LM JSON),
 * {@link dev.dspy4j.adapter.ValueParser} (DSPy's {@code parse_value}),
 * {@link dev.dspy4j.adapter.JsonSchemas} (pydantic's schemas) and
 * {@link dev.dspy4j.adapter.AdapterText} (field lists, type notes, task line).
 *
 * <p>All adapters are immutable and thread-safe; per-signature text is memoized on the signature.
 */
@NullMarked
package dev.dspy4j.adapter;

import org.jspecify.annotations.NullMarked;
