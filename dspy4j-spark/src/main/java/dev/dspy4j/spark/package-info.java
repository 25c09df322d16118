/**
 * dspy4j on Apache Spark: batch predict ({@link dev.dspy4j.spark.SparkPredict}) and distributed
 * evaluation ({@link dev.dspy4j.spark.SparkEvaluate}) over a {@code Dataset<Row>}.
 *
 * <pre>{@code
 * SparkPredict predict = SparkPredict.builder()
 *         .program(SparkProgram.chainOfThought("question -> answer").withStateFile(Path.of("qa.json")))
 *         .lm(LmConfig.builder("openai/gpt-4o-mini").apiKeyFromEnv("OPENAI_API_KEY").temperature(0).build())
 *         .cache(CacheConfig.redis("redis://cache:6379").ttl(Duration.ofDays(7)))
 *         .rateLimit(RateLimitConfig.requestsPerMinute(3_000).burst(50))
 *         .maxInFlight(16)
 *         .build();
 * Dataset<Row> answered = predict.predict(spark.read().parquet("questions.parquet"));
 *
 * EvaluationResult result = SparkEvaluate.builder().predict(predict)
 *         .metric(SparkMetric.exactMatch("answer")).label("answer", "gold").build()
 *         .run(spark.read().parquet("devset.parquet"));
 * }</pre>
 *
 * <p><b>What travels.</b> Jobs carry data only: the program as a {@link dev.dspy4j.spark.SparkProgram}
 * (a signature or a Module class name, plus the saved state as DSPy-format JSON text), the LM as an
 * {@link dev.dspy4j.spark.LmConfig} (model, API base, options, retries; the key as the name of an
 * environment variable read on each executor, e.g. {@code spark.executorEnv.OPENAI_API_KEY}, or as a
 * secret that never shows in {@code toString}, plans or errors), the shared cache
 * ({@link dev.dspy4j.spark.CacheConfig}, Redis) and the shared rate limit
 * ({@link dev.dspy4j.spark.RateLimitConfig}, a token bucket in Redis). Everything is checked on the
 * driver before the job starts: the program is built and its state loaded, an LM client is built,
 * the input columns are looked up.
 *
 * <p><b>On each executor</b> the program and one LM client are built once per job configuration
 * and shared by the executor's tasks; the client's chain is cache → retry → shared rate limiter →
 * a fixed number of calls in flight → HTTP. Rows run on virtual threads, a bounded window per
 * partition, in input order; a failing row keeps its inputs and carries its error.
 *
 * <p><b>Why no module-info.</b> Spark's jars are not JPMS modules (and split packages between
 * them), so a named module could not require them; this jar is an automatic module named
 * {@code dev.dspy4j.spark} (its manifest's {@code Automatic-Module-Name}) and runs on the class
 * path, as Spark applications do.
 */
package dev.dspy4j.spark;
