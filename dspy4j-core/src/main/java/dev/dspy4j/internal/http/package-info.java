/**
 * HTTP helpers shared by the LM clients and the retrievers: bounded response bodies. Not public
 * API and not exported.
 */
@NullMarked
package dev.dspy4j.internal.http;

import org.jspecify.annotations.NullMarked;
