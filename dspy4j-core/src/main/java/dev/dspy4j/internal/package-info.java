/**
 * Implementation details shared across dspy4j's packages. Not public API: anything here may change
 * in any release.
 */
@NullMarked
package dev.dspy4j.internal;

import org.jspecify.annotations.NullMarked;
