/**
 * The immutable execution context: which LM, adapter, default options and listeners a program
 * call uses. Passed explicitly or bound to a thread for a block; never global.
 */
@NullMarked
package dev.dspy4j.context;

import org.jspecify.annotations.NullMarked;
