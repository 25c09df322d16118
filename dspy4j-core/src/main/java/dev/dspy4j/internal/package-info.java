/**
 * Implementation details shared across dspy4j's packages. Not public API and not exported from the
 * module: anything here may change in any release.
 */
@NullMarked
package dev.dspy4j.internal;

import org.jspecify.annotations.NullMarked;
