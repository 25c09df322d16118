package dev.dspy4j.spark.example;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The command line of {@link TicketTriageJob}, parsed and checked before Spark does anything. Every
 * problem is a {@link UsageException} whose message names the option and says what is expected.
 *
 * @param input the tickets: JSON lines, or parquet when the path ends in {@code .parquet} or
 *     {@code --input-format parquet} is given
 * @param inputFormat {@code json} or {@code parquet}
 * @param output where the predictions go (a directory, as Spark writes them); empty with
 *     {@code --evaluate} alone
 * @param outputFormat {@code json} (JSON lines, the default) or {@code parquet}
 * @param overwrite replace an existing output directory (else the job fails if it exists), e.g. when
 *     re-running a job that was killed part-way
 * @param program a saved program (DSPy's JSON) to use instead of the bundled one
 * @param model the model as DSPy names it: {@code --lm}, else {@code DSPY4J_MODEL}
 * @param baseUrl the provider's endpoint: {@code --base-url}, else the provider's variable on the
 *     driver ({@code OPENAI_BASE_URL}, {@code OPENAI_API_BASE}, ...), else the provider's default
 * @param apiKeyVariable the environment variable each executor reads the key from (default: the
 *     provider's usual one)
 * @param redisUrl the shared cache (and rate-limit bucket): {@code --redis}, else
 *     {@code DSPY4J_REDIS_URL}; empty for no shared cache
 * @param cacheTtl how long answers stay in Redis
 * @param requestsPerMinute the provider's request limit across all executors (0: none); needs Redis
 * @param maxInFlight LM calls in flight per executor
 * @param partitions repartition the input into this many tasks (0: keep the input's partitioning)
 * @param ticketColumn the column that holds the ticket text
 * @param evaluate run the distributed Evaluate against the {@code category} labels
 * @param labelColumn the column that holds the labels, for {@code --evaluate}
 */
record JobOptions(Path input, String inputFormat, Optional<Path> output, String outputFormat, boolean overwrite,
                  Optional<Path> program,
                  String model, Optional<String> baseUrl, Optional<String> apiKeyVariable, Optional<String> redisUrl,
                  Duration cacheTtl, int requestsPerMinute, int maxInFlight, int partitions, String ticketColumn,
                  boolean evaluate, String labelColumn) {

    static final String USAGE = """
            usage: spark-submit --class dev.dspy4j.spark.example.TicketTriageJob dspy4j-spark-example-job.jar \\
                     --input TICKETS [--output DIR] [options]

              --input PATH           tickets as JSON lines (one object per line) or parquet (.parquet)
              --input-format F       json or parquet (default: from the file name)
              --output DIR           where to write the predictions (required unless --evaluate)
              --output-format F      json (default) or parquet
              --overwrite            replace the output directory if it exists (re-running a killed job)
              --program FILE         a saved program (DSPy JSON, ticket_text -> category); default: the bundled one
              --lm MODEL             the model as DSPy names it (default: $DSPY4J_MODEL)
              --base-url URL         the provider's endpoint (default: $OPENAI_BASE_URL, $OPENAI_API_BASE, ...)
              --api-key-env NAME     the variable each executor reads the key from (default: the provider's,
                                     e.g. OPENAI_API_KEY; set it with --conf spark.executorEnv.NAME=...)
              --redis URL            shared cache, resumable runs (default: $DSPY4J_REDIS_URL; none if unset)
              --cache-ttl DURATION   how long answers stay in Redis, e.g. PT72H or 7d (default: 7d)
              --rpm N                the provider's requests per minute, shared by all executors (needs Redis)
              --max-in-flight N      LM calls in flight per executor (default: 8)
              --partitions N         repartition the input into N tasks (default: as read)
              --ticket-column NAME   the column with the ticket text (default: ticket_text)
              --evaluate             score the program against the labels instead of writing predictions
              --label-column NAME    the column with the labels, for --evaluate (default: category)
            """;

    /** A command line that cannot run; the message says which option and why. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    /**
     * Parses {@code args}; {@code environment} supplies the defaults named in {@link #USAGE}.
     *
     * @throws UsageException for an unknown option, a missing value or required option, or a value
     *     of the wrong form
     */
    static JobOptions parse(List<String> args, Map<String, String> environment) {
        Path input = null;
        String inputFormat = null;
        Path output = null;
        String outputFormat = "json";
        boolean overwrite = false;
        Path program = null;
        String model = environment.get("DSPY4J_MODEL");
        String baseUrl = null;
        String apiKeyVariable = null;
        String redisUrl = environment.get("DSPY4J_REDIS_URL");
        Duration cacheTtl = Duration.ofDays(7);
        int rpm = 0;
        int maxInFlight = 8;
        int partitions = 0;
        String ticketColumn = "ticket_text";
        boolean evaluate = false;
        String labelColumn = "category";
        List<String> rest = new ArrayList<>(args);
        while (!rest.isEmpty()) {
            String option = rest.removeFirst();
            switch (option) {
                case "--evaluate" -> evaluate = true;
                case "--overwrite" -> overwrite = true;
                case "--input" -> input = Path.of(value(option, rest));
                case "--input-format" -> inputFormat = format(option, value(option, rest));
                case "--output" -> output = Path.of(value(option, rest));
                case "--output-format" -> outputFormat = format(option, value(option, rest));
                case "--program" -> program = Path.of(value(option, rest));
                case "--lm" -> model = value(option, rest);
                case "--base-url" -> baseUrl = value(option, rest);
                case "--api-key-env" -> apiKeyVariable = value(option, rest);
                case "--redis" -> redisUrl = value(option, rest);
                case "--cache-ttl" -> cacheTtl = duration(option, value(option, rest));
                case "--rpm" -> rpm = number(option, value(option, rest), 1);
                case "--max-in-flight" -> maxInFlight = number(option, value(option, rest), 1);
                case "--partitions" -> partitions = number(option, value(option, rest), 1);
                case "--ticket-column" -> ticketColumn = value(option, rest);
                case "--label-column" -> labelColumn = value(option, rest);
                default -> throw new UsageException("unknown option " + option);
            }
        }
        if (input == null) {
            throw new UsageException("--input is required: the tickets (JSON lines or parquet)");
        }
        if (output == null && !evaluate) {
            throw new UsageException("--output is required (a directory for the predictions), unless --evaluate");
        }
        if (model == null || model.isBlank()) {
            throw new UsageException("no model: pass --lm openai/gpt-4o-mini (or another DSPy model name) "
                    + "or set DSPY4J_MODEL");
        }
        if (redisUrl != null && redisUrl.isBlank()) {
            redisUrl = null;
        }
        if (rpm > 0 && redisUrl == null) {
            throw new UsageException("--rpm needs a Redis that all executors share: pass --redis redis://host:6379 "
                    + "or set DSPY4J_REDIS_URL");
        }
        if (baseUrl == null) {
            baseUrl = baseUrlFromEnvironment(model.strip(), environment);
        }
        if (inputFormat == null) {
            inputFormat = input.toString().toLowerCase(Locale.ROOT).endsWith(".parquet") ? "parquet" : "json";
        }
        return new JobOptions(input, inputFormat, Optional.ofNullable(output), outputFormat, overwrite,
                Optional.ofNullable(program), model.strip(), Optional.ofNullable(baseUrl),
                Optional.ofNullable(apiKeyVariable), Optional.ofNullable(redisUrl), cacheTtl, rpm, maxInFlight,
                partitions, ticketColumn, evaluate, labelColumn);
    }

    /**
     * The endpoint the driver's environment names for the model's provider, so that it travels
     * with the job (executors may not have the variable).
     */
    static String baseUrlFromEnvironment(String model, Map<String, String> environment) {
        int slash = model.indexOf('/');
        String prefix = slash < 0 ? "openai" : model.substring(0, slash).toLowerCase(Locale.ROOT);
        List<String> names = switch (prefix) {
            case "openai" -> List.of("OPENAI_BASE_URL", "OPENAI_API_BASE");
            case "anthropic" -> List.of("ANTHROPIC_BASE_URL", "ANTHROPIC_API_BASE");
            default -> List.of(prefix.toUpperCase(Locale.ROOT) + "_API_BASE");
        };
        for (String name : names) {
            String value = environment.get(name);
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return null;
    }

    private static String value(String option, List<String> rest) {
        if (rest.isEmpty() || rest.getFirst().startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return rest.removeFirst();
    }

    private static String format(String option, String value) {
        String format = value.toLowerCase(Locale.ROOT);
        if (!format.equals("json") && !format.equals("parquet")) {
            throw new UsageException(option + " must be json or parquet, got " + value);
        }
        return format;
    }

    private static int number(String option, String value, int min) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(option + " must be a whole number of at least " + min + ", got " + value);
    }

    /** {@code PT72H} (ISO-8601) or a number with a unit: {@code 90m}, {@code 12h}, {@code 7d}. */
    private static Duration duration(String option, String value) {
        String text = value.strip().toLowerCase(Locale.ROOT);
        try {
            Duration duration;
            if (text.startsWith("pt") || text.startsWith("p")) {
                duration = Duration.parse(value.strip().toUpperCase(Locale.ROOT));
            } else {
                long n = Long.parseLong(text.substring(0, text.length() - 1));
                duration = switch (text.charAt(text.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    case 'd' -> Duration.ofDays(n);
                    default -> throw new NumberFormatException(text);
                };
            }
            if (!duration.isNegative() && !duration.isZero()) {
                return duration;
            }
        } catch (DateTimeParseException | NumberFormatException | StringIndexOutOfBoundsException e) {
            // reported below
        }
        throw new UsageException(option + " must be a positive duration like 7d, 12h, 90m or PT72H, got " + value);
    }
}
