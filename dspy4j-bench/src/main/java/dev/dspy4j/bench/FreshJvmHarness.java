package dev.dspy4j.bench;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.evaluate.Evaluate;
import dev.dspy4j.evaluate.EvaluationResult;
import dev.dspy4j.evaluate.Metric;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.module.Predict;
import dev.dspy4j.provider.Lms;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Issue 9's table measured in fresh JVMs: every measurement runs in a new {@code java -cp <jars>}
 * client process with default flags (plus {@code --jvm-args}), so that class loading, JIT warm-up
 * and JVM exit count as they do for a user's program. The {@link LatencyServer}s run in their own
 * JVMs, started once and warmed up by the parent before any measurement.
 *
 * <p>Usage: {@code FreshJvmHarness [--runs N] [--jvm-args "..."] [--aot] [--only a,b]} with the
 * scenarios {@code eval256}, {@code eval1024}, {@code warm256}, {@code warm1024}, {@code cold} and
 * {@code predict}. Children are {@code FreshJvmHarness child <scenario> ...}; each prints one
 * {@code RESULT key=value ...} line that the parent parses. The parent prints markdown tables.
 * Start it with a class path made of jars only (see {@code bench/run-fresh.sh}): the children get
 * the same class path, and a JDK AOT cache ({@code --aot}) accepts nothing else.
 */
public final class FreshJvmHarness {

    private static final String ANSWER = "[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]";
    private static final int EXAMPLES = 2_000;

    private FreshJvmHarness() {}

    /** Entry point of the parent, or of a child with {@code child <scenario> ...}. */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            Child.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        int runs = 3;
        List<String> jvmArgs = new ArrayList<>();
        boolean aot = false;
        List<String> only = List.of("eval256", "eval1024", "warm256", "warm1024", "cold", "predict");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--jvm-args" -> jvmArgs.addAll(Arrays.asList(args[++i].trim().split("\\s+")));
                case "--aot" -> aot = true;
                case "--only" -> only = Arrays.asList(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: FreshJvmHarness [--runs N] [--jvm-args \"...\"] [--aot] [--only eval256,...]");
            }
        }
        jvmArgs.removeIf(String::isEmpty);
        new FreshJvmHarness().run(runs, jvmArgs, aot, only);
    }

    // ---------------------------------------------------------------- parent

    private final Map<Long, Process> servers = new LinkedHashMap<>();
    private final Map<Long, URI> urls = new LinkedHashMap<>();

    private void run(int runs, List<String> jvmArgs, boolean aot, List<String> only) throws Exception {
        String classPath = System.getProperty("java.class.path");
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            if (!entry.endsWith(".jar")) {
                System.err.println("warning: class path entry " + entry + " is not a jar; the AOT cache needs jars only");
            }
        }
        try {
            for (long latency : new long[] {0, 100, 1000}) {
                startServer(latency);
            }
            List<String> flags = new ArrayList<>(jvmArgs);
            if (aot) {
                Path cache = Path.of(System.getProperty("fresh.aot", "dspy4j-bench/target/fresh.aot")).toAbsolutePath();
                Files.deleteIfExists(cache);
                List<String> training = new ArrayList<>(jvmArgs);
                training.add("-XX:AOTCacheOutput=" + cache);
                long start = System.nanoTime();
                Map<String, String> r = child(training, "train", urls.get(0L).toString());
                System.out.printf(Locale.ROOT, "AOT cache: training run + assembly %.1f s, %s, %d MB (%s)%n%n",
                        (System.nanoTime() - start) / 1e9, cache, Files.size(cache) >> 20, r.get("answer"));
                flags.add("-XX:AOTCache=" + cache);
            }
            System.out.println("Client JVM flags: " + (flags.isEmpty() ? "(defaults)" : String.join(" ", flags))
                    + "; " + runs + " run(s) per row, median of each column; JDK " + System.getProperty("java.version")
                    + ", " + Runtime.getRuntime().availableProcessors() + " CPUs. load = /proc/loadavg (1 min) just before"
                    + " each run; the machine is shared with other builds.");
            System.out.println();

            Map<String, String> goals = new LinkedHashMap<>();
            List<String> evalRows = new ArrayList<>();
            for (String s : only) {
                switch (s) {
                    case "eval256" -> evalRows.add(evalRow("fresh", 256, 100, 0, runs, flags, goals));
                    case "eval1024" -> evalRows.add(evalRow("fresh", 1024, 1000, 0, runs, flags, goals));
                    case "warm256" -> evalRows.add(evalRow("warm", 256, 100, 5, runs, flags, goals));
                    case "warm1024" -> evalRows.add(evalRow("warm", 1024, 1000, 5, runs, flags, goals));
                    default -> { }
                }
            }
            if (!evalRows.isEmpty()) {
                System.out.println("| run | in flight | latency | eval wall | examples/s | ratio to ideal | client CPU/example (eval) "
                        + "| CPU/example (whole process, all examples it ran) | Java threads CPU/example | process wall (spawn to exit) "
                        + "| JVM uptime at result | peak RSS | failures | score | load |");
                System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
                evalRows.forEach(System.out::println);
                System.out.println();
            }
            if (only.contains("cold")) {
                System.out.println(coldTable(Math.max(7, runs), flags, goals));
            }
            if (only.contains("predict")) {
                System.out.println(predictTable(runs, flags, goals));
            }
            System.out.println("| goal (fresh) | target | measured |");
            System.out.println("|---|---|---|");
            goals.forEach((k, v) -> System.out.println("| " + k + " | " + v + " |"));
        } finally {
            for (Process p : servers.values()) {
                p.getOutputStream().close();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private String evalRow(String mode, int concurrency, long latency, int warmRounds, int runs, List<String> flags,
                           Map<String, String> goals) throws Exception {
        List<Map<String, String>> results = new ArrayList<>();
        List<String> loads = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            loads.add(load());
            List<String> args = new ArrayList<>(List.of(Long.toString(latency), Integer.toString(concurrency),
                    urls.get(latency).toString()));
            if (warmRounds > 0) {
                args.addAll(List.of(urls.get(0L).toString(), Integer.toString(warmRounds)));
            }
            Map<String, String> result = child(flags, "eval", args.toArray(String[]::new));
            results.add(result);
            System.err.println(mode + " " + concurrency + " run " + (r + 1) + ": " + result);
        }
        double ratio = median(results, m -> d(m, "ratio"));
        double cpu = median(results, m -> d(m, "cpuEvalMs"));
        if (mode.equals("fresh") && concurrency == 256) {
            goals.put("ratio to ideal, 256 in flight (2,000 examples, 100 ms)", fmt(">= 0.80 | %.3f", ratio));
            goals.put("client CPU per example at 256 (eval; whole process)",
                    fmt("<= 0.4 ms | %.3f ms; %.3f ms", cpu, median(results, m -> d(m, "cpuProcessMs"))));
        } else if (mode.equals("fresh")) {
            goals.put("ratio to ideal, 1,024 in flight at 1 s (2,000 examples)", fmt(">= 0.90 | %.3f", ratio));
        }
        return fmt("| %s (%s) | %d | %d ms | %.2f s | %.0f | **%.3f** | **%.3f ms** | %.3f ms | %.3f ms | %.2f s | %.2f s "
                        + "| %d MB | %s | %s | %s |",
                mode, warmRounds > 0 ? warmRounds + " rounds first" : "first evaluation", concurrency, latency,
                median(results, m -> d(m, "evalWallS")), median(results, m -> d(m, "examplesPerS")), ratio, cpu,
                median(results, m -> d(m, "cpuProcessMs")), median(results, m -> d(m, "cpuJavaMs")),
                median(results, m -> d(m, "processWallS")), median(results, m -> d(m, "uptimeS")),
                Math.round(median(results, m -> d(m, "rssMb"))), collect(results, "failures"),
                collect(results, "score"), String.join(", ", loads));
    }

    private String coldTable(int runs, List<String> flags, Map<String, String> goals) throws Exception {
        StringBuilder table = new StringBuilder("| cold start, " + runs + " runs | process wall, spawn to exit: median "
                + "(min–max) | JVM uptime at answer | exit (wall - uptime) | of which main's end to shutdown hooks "
                + "| JVM start to main (uptime at main) | Predict call (first) | process CPU | load |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        for (String scenario : List.of("cold", "hello")) {
            List<Map<String, String>> results = new ArrayList<>();
            List<String> loads = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                loads.add(load());
                Map<String, String> result = child(flags, scenario, urls.get(0L).toString());
                results.add(result);
                System.err.println(scenario + " run " + (r + 1) + ": " + result);
            }
            double wall = median(results, m -> d(m, "processWallS"));
            if (scenario.equals("cold")) {
                goals.put("cold start to first answer (process wall, spawn to exit)", fmt("<= 0.35 s | %.3f s", wall));
            }
            List<Double> walls = results.stream().map(m -> d(m, "processWallS")).sorted().toList();
            table.append(fmt("| %s | **%.3f s** (%.3f–%.3f) | %.3f s | %.3f s | %.3f s | %.3f s | %.3f s | %.3f s | %s |%n",
                    scenario.equals("cold") ? "one `Predict` call, 0 ms server" : "baseline: empty `main`", wall,
                    walls.getFirst(), walls.getLast(), median(results, m -> d(m, "uptimeS")),
                    median(results, m -> d(m, "processWallS") - d(m, "uptimeS")),
                    median(results, m -> d(m, "hookS") - d(m, "uptimeS")), median(results, m -> d(m, "mainS")),
                    median(results, m -> d(m, "callS")), median(results, m -> d(m, "cpuProcessS")),
                    String.join(", ", loads)));
        }
        return table.toString();
    }

    private String predictTable(int runs, List<String> flags, Map<String, String> goals) throws Exception {
        List<Map<String, String>> results = new ArrayList<>();
        List<String> loads = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            loads.add(load());
            Map<String, String> result = child(flags, "predict");
            results.add(result);
            System.err.println("predict run " + (r + 1) + ": " + result);
        }
        double at500 = median(results, m -> d(m, "us500"));
        goals.put("Predict µs/call after 500 warm-up calls (in-process instant LM)", fmt("<= 2 | %.2f µs", at500));
        return "| in-process instant LM, " + runs + " runs | first call | µs/call, calls 501–1,500 | 5,001–6,000 "
                + "| 20,001–21,000 | load |\n|---|---|---|---|---|---|\n"
                + fmt("| `Predict(\"question -> answer\")` | %.1f ms | **%.2f** | %.2f | %.2f | %s |%n",
                median(results, m -> d(m, "firstMs")), at500, median(results, m -> d(m, "us5000")),
                median(results, m -> d(m, "us20000")), String.join(", ", loads));
    }

    /** Runs one client child and returns its RESULT line's values plus {@code processWallS}. */
    private static Map<String, String> child(List<String> flags, String scenario, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), FreshJvmHarness.class.getName(),
                "child", scenario));
        command.addAll(Arrays.asList(args));
        // stderr to a file, echoed without SLF4J's "no providers" notice (which every child prints)
        Path err = Files.createTempFile("fresh-child", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
        long start = System.nanoTime();
        Process process = builder.start();
        List<String> lines;
        try (BufferedReader out = process.inputReader(StandardCharsets.UTF_8)) {
            lines = out.lines().toList();
        }
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(scenario + " did not exit");
        }
        long wall = System.nanoTime() - start;
        Files.readAllLines(err).stream().filter(l -> !l.startsWith("SLF4J(W)")).forEach(System.err::println);
        Files.delete(err);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(scenario + " exited with " + process.exitValue() + ": " + lines);
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.startsWith("RESULT ")) {
                for (String pair : line.substring(7).trim().split(" ")) {
                    int eq = pair.indexOf('=');
                    result.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        if (result.isEmpty()) {
            throw new IllegalStateException(scenario + " printed no RESULT line: " + lines);
        }
        result.put("processWallS", fmt("%.4f", wall / 1e9));
        return result;
    }

    private void startServer(long latencyMillis) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // test equipment, as in ThroughputHarness: C1 only and the serial collector keep its CPU use low
        Process server = new ProcessBuilder(java, "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), LatencyServer.class.getName(), Long.toString(latencyMillis))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        servers.put(latencyMillis, server);
        URI url = URI.create(new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))
                .readLine());
        urls.put(latencyMillis, url);
        // warm the server up (its JIT, its accept path) so that the first measured run is not its first
        int calls = latencyMillis >= 1000 ? 1024 : 2000;
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                futures.add(threads.submit(() -> http.send(HttpRequest.newBuilder(url.resolve("v1/chat/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.discarding())));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static double d(Map<String, String> m, String key) {
        return Double.parseDouble(m.get(key));
    }

    private static double median(List<Map<String, String>> results, ToDoubleFunction<Map<String, String>> f) {
        double[] values = results.stream().mapToDouble(f).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static String collect(List<Map<String, String>> results, String key) {
        return String.join("/", results.stream().map(m -> m.get(key)).distinct().toList());
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    // ---------------------------------------------------------------- children

    /** The client JVMs: {@code eval}, {@code cold}, {@code predict} and the AOT {@code train} scenario. */
    static final class Child {

        private Child() {}

        static void main(String[] args) throws Exception {
            switch (args[0]) {
                case "eval" -> eval(args);
                case "cold" -> cold(URI.create(args[1]));
                case "predict" -> predict();
                case "hello" -> hello();
                case "train" -> train(URI.create(args[1]));
                default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
            }
        }

        /** What a user gets from {@code Lms.of("openai/...")}: OpenAiLm behind retry and a memory cache. */
        static Lm lm(URI baseUrl) {
            return Lms.builder("openai/bench-model")
                    .environment(Map.of("OPENAI_API_KEY", "sk-bench", "OPENAI_BASE_URL", baseUrl.toString()))
                    .build();
        }

        static List<Example> devset(String prefix, int n) {
            List<Example> examples = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                examples.add(Example.of("question", prefix + " question " + i, "answer", "42").withInputs("question"));
            }
            return examples;
        }

        static Evaluate evaluate(List<Example> devset, int concurrency) {
            return Evaluate.builder().devset(devset)
                    .metric(Metric.of((example, prediction) -> "42".equals(prediction.getString("answer"))))
                    .concurrency(concurrency).maxErrors(Integer.MAX_VALUE).build();
        }

        /** {@code eval <latency-ms> <concurrency> <url> [<warm-url> <warm-rounds>]}. */
        static void eval(String[] args) {
            long latency = Long.parseLong(args[1]);
            int concurrency = Integer.parseInt(args[2]);
            URI url = URI.create(args[3]);
            Predict program = Predict.of("question -> answer");
            if (args.length > 5) {
                // the warm variant: compile the call path against a server that answers at once (a separate
                // LM, so that its cache does not answer the measured calls), then open the measured server's
                // connections with one untimed evaluation
                DspyContext warm = DspyContext.of(lm(URI.create(args[4])));
                for (int round = Integer.parseInt(args[5]); round > 0; round--) {
                    evaluate(devset("warm-up " + round, EXAMPLES), Math.min(concurrency, 256)).run(program, warm);
                }
            }
            DspyContext context = DspyContext.of(lm(url));
            int examplesRun = EXAMPLES;
            if (args.length > 5) {
                evaluate(devset("connect", EXAMPLES), concurrency).run(program, context);
                examplesRun += (Integer.parseInt(args[5]) + 1) * EXAMPLES;
            }
            Evaluate evaluate = evaluate(devset("measured", EXAMPLES), concurrency);
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpuBefore = os.getProcessCpuTime();
            long javaBefore = ProcessStats.javaThreadsCpuNanos();
            long start = System.nanoTime();
            EvaluationResult result = evaluate.run(program, context);
            long wall = System.nanoTime() - start;
            long cpu = os.getProcessCpuTime() - cpuBefore;
            long java = ProcessStats.javaThreadsCpuNanos() - javaBefore;
            double uptime = ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
            double throughput = EXAMPLES / (wall / 1e9);
            double ideal = concurrency / (latency / 1000.0);
            long whole = os.getProcessCpuTime();
            System.out.println(fmt("RESULT evalWallS=%.4f examplesPerS=%.1f ratio=%.4f cpuEvalMs=%.4f cpuProcessMs=%.4f "
                            + "cpuJavaMs=%.4f uptimeS=%.3f rssMb=%d failures=%d score=%.1f",
                    wall / 1e9, throughput, throughput / ideal, cpu / 1e6 / EXAMPLES, whole / 1e6 / examplesRun,
                    java / 1e6 / EXAMPLES, uptime, ProcessStats.peakRssMegabytes(), result.errors(), result.score()));
        }

        /** One Predict call, as a user's first program would make it; then main returns. */
        static void cold(URI url) {
            double mainAt = ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
            // when the shutdown hooks run: after main returned and every non-daemon thread ended
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println(fmt("RESULT hookS=%.4f",
                    ManagementFactory.getRuntimeMXBean().getUptime() / 1e3))));
            long start = System.nanoTime();
            String answer = Predict.of("question -> answer")
                    .call(Map.of("question", "What is 6 x 7?"), DspyContext.of(lm(url))).getString("answer");
            double call = (System.nanoTime() - start) / 1e9;
            System.out.println(answer);
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            System.out.println(fmt("RESULT answer=%s mainS=%.4f callS=%.4f uptimeS=%.4f cpuProcessS=%.4f", answer,
                    mainAt, call, ManagementFactory.getRuntimeMXBean().getUptime() / 1e3, os.getProcessCpuTime() / 1e9));
        }

        /** The baseline: an empty program that reports the same times as {@link #cold}. */
        static void hello() {
            double mainAt = ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println(fmt("RESULT hookS=%.4f",
                    ManagementFactory.getRuntimeMXBean().getUptime() / 1e3))));
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            System.out.println(fmt("RESULT answer=none mainS=%.4f callS=0 uptimeS=%.4f cpuProcessS=%.4f", mainAt,
                    ManagementFactory.getRuntimeMXBean().getUptime() / 1e3, os.getProcessCpuTime() / 1e9));
        }

        /** Predict against an in-process instant LM: µs per call after 500, 5,000 and 20,000 calls. */
        static void predict() {
            LmResponse response = LmResponse.of(ANSWER);
            DspyContext context = DspyContext.of((Lm) request -> response);
            Predict predict = Predict.of("question -> answer");
            long start = System.nanoTime();
            check(predict.call(Map.of("question", "q0"), context).getString("answer"));
            double firstMs = (System.nanoTime() - start) / 1e6;
            int done = 1;
            StringBuilder out = new StringBuilder(fmt("RESULT firstMs=%.3f", firstMs));
            for (int at : new int[] {500, 5_000, 20_000}) {
                for (; done < at; done++) {
                    check(predict.call(Map.of("question", "q" + done), context).getString("answer"));
                }
                start = System.nanoTime();
                for (int end = done + 1_000; done < end; done++) {
                    check(predict.call(Map.of("question", "q" + done), context).getString("answer"));
                }
                out.append(fmt(" us%d=%.3f", at, (System.nanoTime() - start) / 1e3 / 1_000));
            }
            System.out.println(out);
        }

        /** The AOT training run: the cold call, a few hundred evaluated examples, and Predict calls. */
        static void train(URI url) {
            cold(url);
            evaluate(devset("train", 400), 64).run(Predict.of("question -> answer"), DspyContext.of(lm(url)));
            predict();
            System.out.println("RESULT answer=trained");
        }

        private static void check(String answer) {
            if (!"Paris".equals(answer)) {
                throw new IllegalStateException("the canned reply no longer fits the ChatAdapter: got " + answer);
            }
        }
    }
}
