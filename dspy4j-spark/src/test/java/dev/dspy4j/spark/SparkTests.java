package dev.dspy4j.spark;

import dev.dspy4j.testkit.server.RecordedRequest;
import dev.dspy4j.testkit.server.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** One embedded Spark (local[2]) for every test class of this module, and row helpers. */
final class SparkTests {

    static final String EXECUTOR_ONLY_KEY = "DSPY4J_SPARK_TEST_EXECUTOR_KEY";

    private static SparkSession session;
    private static final Pattern ID = Pattern.compile("q-(\\d+)");

    private SparkTests() {
    }

    static synchronized SparkSession spark() {
        if (session == null) {
            session = SparkSession.builder()
                    .appName("dspy4j-spark-tests")
                    .master("local[2]")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.task.maxFailures", "1")
                    // set for executors only: the driver must not require it (the executors of
                    // local[2] share the driver's environment, so it is unset there too)
                    .config("spark.executorEnv." + EXECUTOR_ONLY_KEY, "sk-test")
                    .getOrCreate();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> session.stop()));
        }
        return session;
    }

    static final StructType QUESTIONS = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("question", DataTypes.StringType, false);

    /** Rows {@code (id, "q-<id>")} for ids {@code 0..n-1}, in {@code partitions} partitions. */
    static Dataset<Row> questions(int n, int partitions) {
        List<Row> rows = new ArrayList<>(n);
        for (long id = 0; id < n; id++) {
            rows.add(RowFactory.create(id, "q-" + id));
        }
        return rows(rows, QUESTIONS, partitions);
    }

    /** A Dataset of {@code rows} split in order into {@code partitions} contiguous partitions. */
    static Dataset<Row> rows(List<Row> rows, StructType schema, int partitions) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark().sparkContext());
        return spark().createDataFrame(context.parallelize(rows, partitions), schema);
    }

    /** The row id in a request's last user message ({@code q-<id>}), or -1. */
    static int id(RecordedRequest request) {
        Matcher matcher = ID.matcher(request.lastUserText());
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    /** A ChatAdapter reply setting each field in turn: {@code chat("answer", "x")}. */
    static Reply chat(String... fieldsAndValues) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            text.append("[[ ## ").append(fieldsAndValues[i]).append(" ## ]]\n").append(fieldsAndValues[i + 1])
                    .append("\n\n");
        }
        return Reply.text(text.append("[[ ## completed ## ]]").toString()).withUsage(10, 5);
    }

    /** A key prefix no other test run shares. */
    static String freshPrefix() {
        return "dspy4j-spark-test:" + UUID.randomUUID() + ":";
    }
}
