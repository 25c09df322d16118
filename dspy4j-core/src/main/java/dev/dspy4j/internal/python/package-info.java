/**
 * Internal: Python's behaviour where DSPy's prompts and parsing depend on it, reproduced exactly:
 * {@code str()}, {@code repr()} and {@code json.dumps} of values ({@code PythonValues}), the
 * string primitives {@code str.strip}, {@code str.splitlines} and {@code textwrap.dedent}
 * ({@code PythonText}), and the lenient reading of LM output with {@code json_repair.loads} and
 * {@code ast.literal_eval} ({@code JsonRepair}). Used by the adapters and by saved-program JSON.
 * Not API; not exported from the module.
 */
@NullMarked
package dev.dspy4j.internal.python;

import org.jspecify.annotations.NullMarked;
