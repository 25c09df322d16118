package dev.dspy4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExecutorRuntimesTest {

    @AfterEach
    void forgetRuntimes() {
        ExecutorRuntimes.closeAll();
    }

    private static SparkPredict job(int maxInFlight) {
        return SparkPredict.builder().program(SparkProgram.predict("question -> answer"))
                .lm(LmConfig.builder("openai/test-model").apiBase("http://127.0.0.1:9/v1").apiKey("sk-test").build())
                .maxInFlight(maxInFlight).build();
    }

    @Test
    void tasksOfTheSameJobShareOneRuntime() {
        int before = ExecutorRuntimes.built();

        ExecutorRuntime first = ExecutorRuntimes.lease(job(2));
        ExecutorRuntime second = ExecutorRuntimes.lease(job(2));

        assertThat(second).isSameAs(first);
        assertThat(ExecutorRuntimes.built() - before).isEqualTo(1);
        ExecutorRuntimes.release(first);
        ExecutorRuntimes.release(second);
        assertThat(first.isClosed()).isFalse();
    }

    @Test
    void theLeastRecentlyUsedRuntimeIsClosedOnceNoTaskHoldsIt() {
        ExecutorRuntime held = ExecutorRuntimes.lease(job(1));
        List<ExecutorRuntime> others = new ArrayList<>();
        for (int i = 2; i <= ExecutorRuntimes.MAX_ENTRIES; i++) {
            ExecutorRuntime runtime = ExecutorRuntimes.lease(job(i));
            ExecutorRuntimes.release(runtime);
            others.add(runtime);
        }

        ExecutorRuntime newest = ExecutorRuntimes.lease(job(ExecutorRuntimes.MAX_ENTRIES + 1));

        assertThat(held.isClosed()).as("evicted but still leased").isFalse();
        ExecutorRuntimes.release(held);
        assertThat(held.isClosed()).isTrue();
        assertThat(others).noneMatch(ExecutorRuntime::isClosed);
        ExecutorRuntimes.release(newest);
        assertThat(ExecutorRuntimes.lease(job(1))).isNotSameAs(held);
    }
}
