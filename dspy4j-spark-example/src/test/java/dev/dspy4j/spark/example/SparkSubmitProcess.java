package dev.dspy4j.spark.example;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs Spark's own launcher, {@code org.apache.spark.deploy.SparkSubmit}, in a separate JVM, as
 * {@code bin/spark-submit} of a Spark installation does: the class path is Spark's jars only (what a
 * distribution has in {@code jars/}), the job comes from the shaded job jar given to it.
 *
 * <p>Spark's jars are the test class path minus everything that is ours or the test's: dspy4j's
 * modules (reactor {@code target/} directories and {@code dev/dspy4j} jars), JUnit, AssertJ, and
 * the dependencies the job jar must bring itself (Jackson 3, Jedis and its pool, JSpecify,
 * slf4j-simple). So a class the job needs and the jar lacks fails the run instead of being found
 * on the test's class path.
 */
final class SparkSubmitProcess {

    private static final List<String> NOT_SPARK = List.of("/target/", "/dev/dspy4j/", "/org/junit/",
            "/org/opentest4j/", "/org/apiguardian/", "/org/assertj/", "/net/bytebuddy/", "/tools/jackson/",
            "/redis/clients/", "/org/apache/commons/commons-pool2/", "/org/jspecify/", "/org/slf4j/slf4j-simple/",
            "/info/picocli/", "/surefire");

    record Outcome(int exitCode, String out, String err) {}

    private SparkSubmitProcess() {}

    /** The class path entries that belong to Spark (and its own dependencies). */
    static List<String> sparkClassPath() {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> spark = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            String path = entry.replace(File.separatorChar, '/');
            if (!entry.isBlank() && NOT_SPARK.stream().noneMatch(path::contains)) {
                spark.add(entry);
            }
        }
        return spark;
    }

    /** The JVM flags Spark needs on JDK 17+ (the same the in-process tests run with). */
    static List<String> jvmFlags() {
        String flags = System.getProperty("dspy4j.spark.jvmFlags", "");
        return Arrays.stream(flags.trim().split("\\s+")).filter(flag -> !flag.isBlank()).toList();
    }

    /**
     * {@code java <flags> -cp <Spark's jars> SparkSubmit <submitArgs>} with {@code environment}
     * added, waiting at most {@code timeoutSeconds}; stdout and stderr go to files in {@code dir}.
     */
    static Outcome run(Path dir, Map<String, String> environment, long timeoutSeconds, List<String> submitArgs)
            throws IOException, InterruptedException {
        Process process = start(dir, environment, submitArgs);
        return waitFor(process, dir, timeoutSeconds);
    }

    /** Starts {@code SparkSubmit} as {@link #run} does, without waiting. */
    static Process start(Path dir, Map<String, String> environment, List<String> submitArgs) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags());
        command.add("-Xmx768m");
        command.add("-cp");
        command.add(String.join(File.pathSeparator, sparkClassPath()));
        command.add("org.apache.spark.deploy.SparkSubmit");
        command.addAll(submitArgs);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("spark-submit.out").toFile())
                .redirectError(dir.resolve("spark-submit.err").toFile());
        builder.environment().remove("DSPY4J_REDIS_URL");   // the job would use it: only what the test gives
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** Waits for a process {@link #start} started, at most {@code timeoutSeconds}, then kills it. */
    static Outcome waitFor(Process process, Path dir, long timeoutSeconds) throws IOException, InterruptedException {
        Path out = dir.resolve("spark-submit.out");
        Path err = dir.resolve("spark-submit.err");
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("spark-submit did not finish within " + timeoutSeconds + " s; stderr:\n"
                    + tail(Files.readString(err)));
        }
        return new Outcome(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** The last lines of a long log, for assertion messages. */
    static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
