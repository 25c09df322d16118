package dev.dspy4j.tool;

import static dev.dspy4j.tool.GoldenTools.byName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ToolCallTest {

    private static final List<Tool> RESTAURANT = Tool.fromAnnotated(new GoldenTools.Restaurant());
    private static final Tool BOOK_TABLE = byName(RESTAURANT, "book_table");
    private static final Tool WEATHER = Tool.fromAnnotated(GoldenTools.class).get(0);

    private static Map<String, Object> slot() {
        return Map.of("day", "Friday", "hour", 19, "party", Map.of("size", 2, "name", "Ann"));
    }

    @Test
    void convertsMapsToRecordsListsAndOptionalsAndCallsTheMethod() {
        Object value = BOOK_TABLE.call(Map.of("slot", slot(), "guests", List.of("Bo"), "notes", "window"));

        assertThat(value).isEqualTo("booked Friday 19 for Ann +[Bo] (window)");
    }

    @Test
    void fillsDefaultsForArgumentsTheLmLeftOut() {
        assertThat(BOOK_TABLE.call(Map.of("slot", slot(), "guests", List.of()))).isEqualTo("booked Friday 19 for Ann +[]");
        assertThat(WEATHER.call(Map.of("city", "Oslo"))).isEqualTo("Sunny in Oslo for 1 day(s)");
        assertThat(byName(RESTAURANT, "tag_items").call(Map.of("items", List.of("a", "b"))))
                .isEqualTo(Map.of("tag", "red", "count", "2"));
    }

    @Test
    void convertsStringsToEnumsAndNumbersToTheParameterType() {
        assertThat(byName(RESTAURANT, "tag_items").call(Map.of("items", List.of("a"), "tag", "blue")))
                .isEqualTo(Map.of("tag", "blue", "count", "1"));
        assertThat(byName(RESTAURANT, "lookup").call(Map.of("ids", List.of(1, 2.0), "exact", true)))
                .isEqualTo("[1, 2] exactly");
    }

    @Test
    void acceptsJavaValuesAsArguments() {
        GoldenTools.Slot slot = new GoldenTools.Slot("Monday", 12, new GoldenTools.Party(4, "Cy"));

        assertThat(BOOK_TABLE.call(Map.of("slot", slot, "guests", List.of()))).isEqualTo("booked Monday 12 for Cy +[]");
        assertThat(byName(RESTAURANT, "tag_items").call(Map.of("items", List.of(), "tag", GoldenTools.Tag.blue)))
                .isEqualTo(Map.of("tag", "blue", "count", "0"));
    }

    @Test
    void rejectsAnUnknownArgumentInDspysWords() {
        ToolResult result = WEATHER.invoke(Map.of("city", "Oslo", "country", "NO"));

        assertThat(result).isEqualTo(new ToolResult.Failure(ToolException.Kind.INVALID_ARGUMENTS,
                "Arg country is not in the tool's args.", null));
    }

    @Test
    void reportsSchemaViolationsAsJsonschemaWordsThem() {
        assertThat(message(WEATHER.invoke(Map.of("city", 3)))).isEqualTo("Arg city is invalid: 3 is not of type 'string'");
        assertThat(message(WEATHER.invoke(Map.of("city", "Oslo", "days", "two"))))
                .isEqualTo("Arg days is invalid: 'two' is not of type 'integer'");
        assertThat(message(WEATHER.invoke(Map.of("city", "Oslo", "days", true))))
                .isEqualTo("Arg days is invalid: True is not of type 'integer'");
        assertThat(message(byName(RESTAURANT, "tag_items").invoke(Map.of("items", List.of(), "tag", "green"))))
                .isEqualTo("Arg tag is invalid: 'green' is not one of ['red', 'blue']");
        assertThat(message(BOOK_TABLE.invoke(Map.of("slot", Map.of("day", "Friday", "hour", 19), "guests", List.of()))))
                .isEqualTo("Arg slot is invalid: 'party' is a required property");
        assertThat(message(BOOK_TABLE.invoke(Map.of("slot", slot(), "guests", List.of("Bo", 7)))))
                .isEqualTo("Arg guests is invalid: 7 is not of type 'string'");
        assertThat(message(BOOK_TABLE.invoke(Map.of("slot", slot(), "guests", List.of(), "notes", 1.5))))
                .isEqualTo("Arg notes is invalid: 1.5 is not valid under any of the given schemas");
    }

    @Test
    void reportsAMissingRequiredArgumentWithoutCallingTheTool() {
        assertThat(message(WEATHER.invoke(Map.of()))).isEqualTo("Arg city is required but was not given.");
    }

    @Test
    void reportsAValueThatCannotBecomeItsJavaType() {
        ToolResult result = WEATHER.invoke(Map.of("city", "Oslo", "days", 1L << 40));

        assertThat(result).isEqualTo(new ToolResult.Failure(ToolException.Kind.INVALID_ARGUMENTS,
                "Arg days is invalid: integer overflow", null));
    }

    record Range(long from, long to) {
        Range {
            if (from > to) {
                throw new IllegalArgumentException("from must not exceed to");
            }
        }
    }

    @Test
    void reportsValuesARecordConstructorRejectsWithoutCallingTheTool() {
        Tool tool = Tool.of("count", "", Range.class, r -> r.to() - r.from());

        assertThat(tool.invoke(Map.of("from", 3, "to", 1))).isEqualTo(new ToolResult.Failure(
                ToolException.Kind.INVALID_ARGUMENTS, "Arguments of count are invalid: IllegalArgumentException: "
                + "from must not exceed to", null));
        assertThat(tool.call(Map.of("from", 1, "to", 3))).isEqualTo(2L);
    }

    @Test
    void treatsNullableParametersAsOptionalArgumentsDefaultingToNone() {
        Tool tool = Tool.fromAnnotated(new Object() {
            @ToolFunction("Greets.")
            String greet(String name, @org.jspecify.annotations.Nullable String title) {
                return title == null ? "Hi " + name : "Hi " + title + " " + name;
            }
        }).get(0);

        assertThat(tool.argTypes()).containsEntry("title", "Optional[str]");
        assertThat(tool.toSpec().parameters()).containsEntry("required", List.of("name"));
        assertThat(tool.call(Map.of("name", "Ann"))).isEqualTo("Hi Ann");
        assertThat(tool.call(Map.of("name", "Ann", "title", "Dr"))).isEqualTo("Hi Dr Ann");
    }

    record Division(long dividend, long divisor) {}

    @Test
    void turnsAToolExceptionIntoAFailureValueAndCallThrowsIt() {
        Tool divide = Tool.of("divide", "Divide two integers.", Division.class, d -> d.dividend() / d.divisor());

        ToolResult result = divide.invoke(Map.of("dividend", 1, "divisor", 0));
        ToolException thrown = catchThrowableOfType(ToolException.class,
                () -> divide.call(Map.of("dividend", 1, "divisor", 0)));

        assertThat(result).isInstanceOfSatisfying(ToolResult.Failure.class, f -> {
            assertThat(f.kind()).isEqualTo(ToolException.Kind.TOOL_ERROR);
            assertThat(f.message()).isEqualTo("ArithmeticException: / by zero");
            assertThat(f.cause()).isInstanceOf(ArithmeticException.class);
        });
        assertThat(thrown.kind()).isEqualTo(ToolException.Kind.TOOL_ERROR);
        assertThat(thrown).hasMessage("ArithmeticException: / by zero").hasCauseInstanceOf(ArithmeticException.class);
        assertThat(divide.invoke(Map.of("dividend", 7, "divisor", 2))).isEqualTo(new ToolResult.Success(3L));
    }

    @Test
    void unwrapsExceptionsOfReflectivelyCalledMethods() {
        Tool tool = Tool.fromAnnotated(new Object() {
            @ToolFunction("Always fails.")
            String fail(String why) throws java.io.IOException {
                throw new java.io.IOException(why);
            }
        }).get(0);

        assertThat(message(tool.invoke(Map.of("why", "disk full")))).isEqualTo("IOException: disk full");
    }

    @Test
    void passesTheCheckedArgumentsOfASchemaToolAsPlainValues() {
        Map<String, Map<String, ?>> args = new LinkedHashMap<>();
        args.put("query", Map.of("type", "string"));
        args.put("limit", Map.of("type", "integer", "default", 10));
        AtomicReference<Map<String, ?>> seen = new AtomicReference<>();
        Tool tool = Tool.ofSchema("search", "Search.", args, a -> {
            seen.set(a);
            return "ok";
        });

        assertThat(tool.call(Map.of("query", "cats"))).isEqualTo("ok");
        assertThat(seen.get()).isEqualTo(Map.of("query", "cats"));
        assertThat(message(tool.invoke(Map.of("query", "cats", "limit", "ten"))))
                .isEqualTo("Arg limit is invalid: 'ten' is not of type 'integer'");
    }

    @Test
    void interruptsAHangingToolAndReturnsATimeoutFailureAtItsDeadline() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        Map<String, Map<String, ?>> noArgs = Map.of();
        Tool hanging = Tool.ofSchema("hang", "Never returns.", noArgs, a -> {
            started.countDown();
            try {
                never.await();
                return "done";
            } catch (InterruptedException e) {
                interrupted.countDown();
                return "interrupted";
            }
        }).toBuilder().timeout(Duration.ofMillis(50)).build();

        ToolResult result = hanging.invoke(Map.of());

        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(result).isEqualTo(new ToolResult.Failure(ToolException.Kind.TIMEOUT,
                "Tool hang did not return within 50 ms and was interrupted.", null));
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("the tool's thread was interrupted").isTrue();
    }

    @Test
    void runsAToolWithATimeoutOnAVirtualThreadAndReturnsItsValue() {
        Map<String, Map<String, ?>> noArgs = Map.of();
        Tool tool = Tool.ofSchema("where", "", noArgs, a -> Thread.currentThread().isVirtual())
                .toBuilder().timeout(Duration.ofMinutes(1)).build();

        assertThat(tool.call(Map.of())).isEqualTo(true);
        assertThat(tool.timeout()).contains(Duration.ofMinutes(1));
        assertThat(tool.toBuilder().noTimeout().build().call(Map.of())).isEqualTo(false);
    }

    @Test
    void keepsTheCallersInterruptAndStopsTheToolWhenTheCallerIsInterrupted() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch toolInterrupted = new CountDownLatch(1);
        Map<String, Map<String, ?>> noArgs = Map.of();
        Tool hanging = Tool.ofSchema("hang", "", noArgs, a -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                toolInterrupted.countDown();
            }
            return null;
        }).toBuilder().timeout(Duration.ofHours(1)).build();
        AtomicReference<ToolResult> result = new AtomicReference<>();
        AtomicBoolean flagKept = new AtomicBoolean();
        Thread caller = Thread.ofVirtual().start(() -> {
            result.set(hanging.invoke(Map.of()));
            flagKept.set(Thread.currentThread().isInterrupted());
        });

        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        caller.interrupt();
        caller.join();

        assertThat(((ToolResult.Failure) result.get()).kind()).isEqualTo(ToolException.Kind.INTERRUPTED);
        assertThat(flagKept).isTrue();
        assertThat(toolInterrupted.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void isSafeToCallFromManyThreadsAtOnce() throws Exception {
        int threads = 8;
        CountDownLatch ready = new CountDownLatch(threads);
        List<Future<Object>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                String city = "City" + i;
                results.add(pool.submit(() -> {
                    ready.countDown();
                    ready.await();
                    List<Object> values = new ArrayList<>();
                    for (int n = 1; n <= 200; n++) {
                        values.add(WEATHER.call(Map.of("city", city, "days", n)));
                    }
                    return values;
                }));
            }
            for (int i = 0; i < threads; i++) {
                List<?> values = (List<?>) results.get(i).get();
                assertThat(values).hasSize(200);
                assertThat(values.get(199)).isEqualTo("Sunny in City" + i + " for 200 day(s)");
            }
        }
    }

    private static String message(ToolResult result) {
        assertThat(result).isInstanceOf(ToolResult.Failure.class);
        return ((ToolResult.Failure) result).message();
    }
}
