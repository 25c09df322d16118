/**
 * JMH benchmarks of dspy4j's own overhead per program call, with an in-memory LM that answers
 * instantly, so that only formatting, parsing and bookkeeping are measured. Build and run with
 * {@code bench/run-jmh.sh}; results and method are in {@code docs/performance.md}.
 */
package dev.dspy4j.bench;
