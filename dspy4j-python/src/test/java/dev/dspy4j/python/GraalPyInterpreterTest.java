package dev.dspy4j.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.dspy4j.module.CodeExecutionException;
import dev.dspy4j.module.CodeExecutionException.Kind;
import dev.dspy4j.module.CodeResult;
import dev.dspy4j.module.CodeSession;
import dev.dspy4j.tool.Tool;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sandbox and the runner, against real GraalPy: one interpreter for the class, since its first
 * context takes seconds. Each escape attempt must be refused and reported, and the interpreter must
 * stay usable afterwards.
 */
class GraalPyInterpreterTest {

    private static GraalPyInterpreter python;

    @BeforeAll
    static void startPython() {
        python = GraalPyInterpreter.builder()
                // generous for a loaded 2-core CI machine, where a first `import subprocess` takes seconds
                .timeout(Duration.ofSeconds(8))
                .maxAllocatedBytes(64L << 20)
                .maxOutputBytes(4096)
                .build();
        python.warmUp();
        // the first import of a standard module in a context can take seconds on a loaded machine;
        // pay it here, not inside a test whose time limit would count it
        for (String module : List.of("os", "sys", "subprocess", "socket", "threading", "io", "math")) {
            try {
                run("import " + module);
            } catch (CodeExecutionException refused) {
                // a sandbox refusal is fine: the module's code was loaded all the same
            }
        }
    }

    @AfterAll
    static void stopPython() {
        python.close();
    }

    private static CodeResult run(String code) {
        try (CodeSession session = python.openSession(List.of())) {
            return session.execute(code);
        }
    }

    private static CodeExecutionException failure(String code) {
        CodeExecutionException e = catchThrowableOfType(CodeExecutionException.class, () -> run(code));
        assertThat(e).as("the code should have failed: %s", code).isNotNull();
        return e;
    }

    private static void stillWorks() {
        assertThat(run("sum(range(10))").value()).isEqualTo(45L);
    }

    @Test
    void returnsTheValueOfTheFinalExpression() {
        assertThat(run("n = 3\nm = n + 4\nm")).isEqualTo(new CodeResult.Output(7L));
        assertThat(run("x = 1.5\nx * 2").value()).isEqualTo(3.0);
        assertThat(run("{'a': [1, 'two', None, True]}").value())
                .isEqualTo(Map.of("a", java.util.Arrays.asList(1L, "two", null, true)));
    }

    @Test
    void returnsWhatTheCodePrintedWhenThereIsNoFinalExpression() {
        assertThat(run("print('hello')\nprint(6 * 7)")).isEqualTo(new CodeResult.Output("hello\n42\n"));
        assertThat(run("x = 1")).isEqualTo(new CodeResult.Output(null));
    }

    @Test
    void submitEndsTheCodeWithItsFinalOutputs() {
        assertThat(run("x = 7\nSUBMIT({'answer': x * 6})\nraise ValueError('not reached')"))
                .isEqualTo(new CodeResult.Submitted(Map.of("answer", 42L)));
        assertThat(run("SUBMIT(answer='42', unit='kg')"))
                .isEqualTo(new CodeResult.Submitted(Map.of("answer", "42", "unit", "kg")));
    }

    @Test
    void keepsVariablesWithinASessionButNotAcrossSessions() {
        try (CodeSession session = python.openSession(List.of())) {
            session.execute("total = 40", Map.of("extra", 2));
            assertThat(session.execute("total + extra").value()).isEqualTo(42L);
        }
        assertThat(failure("total").getMessage()).isEqualTo("NameError: name 'total' is not defined (line 1)");
    }

    @Test
    void reportsASyntaxErrorWithItsLine() {
        CodeExecutionException e = failure("x = 1\ny = (2 +\n");
        assertThat(e.kind()).isEqualTo(Kind.SYNTAX);
        assertThat(e.errorType()).isEqualTo("SyntaxError");
        assertThat(e.getMessage()).startsWith("SyntaxError: ");
        assertThat(e.line()).isPresent();
    }

    @Test
    void reportsARuntimeErrorWithItsPythonTypeMessageAndLine() {
        CodeExecutionException e = failure("a = 1\nb = a / 0");
        assertThat(e.kind()).isEqualTo(Kind.RUNTIME);
        assertThat(e.errorType()).isEqualTo("ZeroDivisionError");
        assertThat(e.getMessage()).isEqualTo("ZeroDivisionError: division by zero (line 2)");
        assertThat(e.line()).hasValue(2);
    }

    @Test
    void refusesToReadAFile() {
        CodeExecutionException e = failure("open('/etc/passwd').read()");
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(Kind.FORBIDDEN);
        stillWorks();
    }

    @Test
    void refusesToWriteAFile() {
        CodeExecutionException e = failure("with open('/tmp/dspy4j-sandbox-escape.txt', 'w') as f:\n    f.write('x')");
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(Kind.FORBIDDEN);
        assertThat(java.nio.file.Path.of("/tmp/dspy4j-sandbox-escape.txt")).doesNotExist();
    }

    @Test
    void refusesToOpenASocket() throws Exception {
        // given: a server on loopback that the code knows the port of
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(300);
            // when
            CodeExecutionException e = failure("import socket\ns = socket.socket()\ns.connect(('127.0.0.1', "
                    + server.getLocalPort() + "))");
            CodeExecutionException dns = failure("import socket\nsocket.create_connection(('localhost', 80))");
            // then: refused, and no connection reached the server
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(Kind.FORBIDDEN);
            assertThat(dns.kind()).as(dns.getMessage()).isEqualTo(Kind.FORBIDDEN);
            assertThatThrownBy(server::accept).isInstanceOf(SocketTimeoutException.class);
        }
        stillWorks();
    }

    @Test
    void refusesToSpawnAProcess() {
        CodeExecutionException system = failure("import os\nos.system('touch /tmp/dspy4j-sandbox-process')");
        CodeExecutionException subprocess = failure("import subprocess\nsubprocess.run(['id'])");
        assertThat(system.kind()).as(system.getMessage()).isEqualTo(Kind.FORBIDDEN);
        assertThat(subprocess.kind()).as(subprocess.getMessage()).isEqualTo(Kind.FORBIDDEN);
        assertThat(java.nio.file.Path.of("/tmp/dspy4j-sandbox-process")).doesNotExist();
    }

    @Test
    void showsNoHostEnvironmentVariables() {
        // given: a secret in the JVM's environment (set by this module's Surefire configuration)
        assertThat(System.getenv("DSPY4J_SANDBOX_SECRET")).isEqualTo("sk-not-for-python");
        // then: Python sees only what GraalPy sets itself
        @SuppressWarnings("unchecked")
        Map<String, Object> seen = (Map<String, Object>) run("import os\ndict(os.environ)").value();
        assertThat(seen).doesNotContainKeys("DSPY4J_SANDBOX_SECRET", "PATH", "HOME")
                .doesNotContainValue("sk-not-for-python");
        assertThat(seen.keySet()).isSubsetOf("UNSAFE_PYO3_SKIP_VERSION_CHECK");
        assertThat(run("import os\nos.getenv('DSPY4J_SANDBOX_SECRET')").value()).isNull();
    }

    @Test
    void refusesJavaInterop() {
        CodeExecutionException java = failure("import java\njava.type('java.lang.System').exit(1)");
        CodeExecutionException polyglot = failure("import polyglot\npolyglot.eval(language='js', string='1')");
        assertThat(java.kind()).as(java.getMessage()).isEqualTo(Kind.FORBIDDEN);
        assertThat(polyglot.kind()).as(polyglot.getMessage()).isEqualTo(Kind.FORBIDDEN);
        stillWorks();
    }

    @Test
    void refusesToStartAThread() {
        CodeExecutionException e = failure("import threading\nt = threading.Thread(target=lambda: None)\nt.start()");
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(Kind.FORBIDDEN);
        stillWorks();
    }

    @Test
    void refusesToExitTheInterpreter() {
        CodeExecutionException exit = failure("import os\nos._exit(3)");
        CodeExecutionException systemExit = failure("import sys\nsys.exit(3)");
        assertThat(exit.errorType()).as(exit.getMessage()).isEqualTo("SystemExit");
        assertThat(systemExit.errorType()).as(systemExit.getMessage()).isEqualTo("SystemExit");
        stillWorks();
    }

    @Test
    void stopsAnEndlessLoopAtTheTimeLimitAndStaysUsable() {
        CodeExecutionException e = failure("while True:\n    pass");
        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(e.getMessage()).startsWith("TimeoutError: the code ran longer than the limit of 8000 ms");
        stillWorks();
    }

    @Test
    void stopsUnboundedAllocationAndStaysUsable() {
        CodeExecutionException e = failure("chunks = []\nwhile True:\n    chunks.append([0] * 1_000_000)");
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(Kind.MEMORY_LIMIT);
        assertThat(e.getMessage()).startsWith("MemoryError: ");
        stillWorks();
    }

    @Test
    void stopsHugeOutputAtTheOutputLimit() {
        CodeExecutionException e = failure("while True:\n    print('spam' * 100)");
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(Kind.OUTPUT_LIMIT);
        stillWorks();
    }

    @Test
    void exposesToolsAsPythonFunctionsThroughAHostCallback() {
        Map<String, Map<String, ?>> schema = new java.util.LinkedHashMap<>();
        schema.put("a", Map.of("type", "integer"));
        schema.put("b", Map.of("type", "integer"));
        Tool add = Tool.ofSchema("add", "Adds two integers.", schema,
                args -> ((Number) args.get("a")).longValue() + ((Number) args.get("b")).longValue());
        try (CodeSession session = python.openSession(List.of(add))) {
            assertThat(session.execute("add(2, b=40)").value()).isEqualTo(42L);
            CodeExecutionException bad = catchThrowableOfType(CodeExecutionException.class,
                    () -> session.execute("add(1, 2, 3)"));
            assertThat(bad.errorType()).isEqualTo("TypeError");
            CodeExecutionException invalid = catchThrowableOfType(CodeExecutionException.class,
                    () -> session.execute("add('x', 1)"));
            assertThat(invalid.errorType()).isEqualTo("RuntimeError");
        }
    }

    @Test
    void toolsSeeTheCallersContext() {
        // given: a tool that reports the LM of the context it runs in
        Tool whichLm = Tool.ofSchema("which_lm", "Names the LM in context.", Map.of(),
                args -> String.valueOf(dev.dspy4j.context.DspyContext.current().lm()));
        dev.dspy4j.testkit.ScriptedLm lm = dev.dspy4j.testkit.ScriptedLm.replying();
        // when: two calls under different contexts, on the same pooled interpreter thread
        Object inside;
        try (var scope = dev.dspy4j.context.DspyContext.of(lm).bind();
             CodeSession session = python.openSession(List.of(whichLm))) {
            inside = session.execute("which_lm()").value();
        }
        Object outside;
        try (CodeSession session = python.openSession(List.of(whichLm))) {
            outside = session.execute("which_lm()").value();
        }
        // then
        assertThat(inside).isEqualTo(String.valueOf(lm));
        assertThat(outside).isEqualTo("null");
    }

    @Test
    void runsConcurrentSessionsInSeparateContexts() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Callable<Object>> jobs = List.of(1, 2, 3).stream().<Callable<Object>>map(i -> () -> {
                try (CodeSession session = python.openSession(List.of())) {
                    session.execute("mine = " + i);
                    return session.execute("mine * 10").value();
                }
            }).toList();
            List<Object> results = pool.invokeAll(jobs).stream().map(GraalPyInterpreterTest::get).toList();
            assertThat(results).containsExactly(10L, 20L, 30L);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Object get(Future<Object> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
