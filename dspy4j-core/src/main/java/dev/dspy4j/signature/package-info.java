/**
 * Signatures: what an LM call takes and produces. A {@link dev.dspy4j.signature.Signature} is an
 * ordered list of typed input and output {@link dev.dspy4j.signature.Field}s plus an instruction,
 * built from DSPy's shorthand ({@code "question, context: list[str] -> answer: int"}), from Java
 * records annotated with {@link dev.dspy4j.signature.Desc}, {@link dev.dspy4j.signature.Name} and
 * {@link dev.dspy4j.signature.Instructions}, or field by field. Types are DSPy's vocabulary
 * ({@link dev.dspy4j.signature.FieldType}); named enums and records used in shorthand strings are
 * registered in a {@link dev.dspy4j.signature.TypeRegistry}. The values of DSPy's special output
 * types live here too: {@link dev.dspy4j.signature.Code}, {@link dev.dspy4j.signature.Reasoning}
 * and {@link dev.dspy4j.signature.Citations}.
 */
@NullMarked
package dev.dspy4j.signature;

import org.jspecify.annotations.NullMarked;
