/**
 * The {@code dspy4j} command-line tool: {@code run}, {@code evaluate}, {@code optimize},
 * {@code inspect}, {@code export} and {@code history} on saved programs, built with picocli.
 *
 * <p>{@link dev.dspy4j.cli.Dspy4jCli} is the entry point; {@link dev.dspy4j.cli.ExitCodes} lists
 * what the process returns. Everything else here is package-private: the command classes are the
 * CLI's interface, not a Java API. The commands talk to the world only through a
 * {@link dev.dspy4j.cli.CliIo} (streams, environment, whether stderr is a terminal), so tests run
 * them in-process.
 */
package dev.dspy4j.cli;
