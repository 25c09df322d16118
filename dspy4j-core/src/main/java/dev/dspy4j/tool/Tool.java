package dev.dspy4j.tool;

import dev.dspy4j.internal.python.PythonValues;
import dev.dspy4j.lm.ToolSpec;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Names;
import dev.dspy4j.signature.SpecialFieldType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A function an LM may call, as DSPy's {@code dspy.Tool}: a {@link #name()}, a description
 * ({@link #desc()}), and a JSON schema per argument ({@link #args()}).
 *
 * <p>Ways to make one:
 * <ul>
 *   <li>from methods annotated {@link ToolFunction} on an object or a class
 *       ({@link #fromAnnotated(Object)}, {@link #fromAnnotated(Class)}), or from any method
 *       ({@link #fromMethod(Method, Object)}): parameters are the arguments, named in snake case
 *       (the class must be compiled with {@code javac -parameters}, as dspy4j's Maven parent
 *       does), described by {@link dev.dspy4j.signature.Desc}, defaulted by {@link Default};</li>
 *   <li>from a function of a record whose components are the arguments
 *       ({@link #of(String, String, Class, Function)});</li>
 *   <li>from a name, a description and a JSON schema per argument, with a function of the
 *       argument map ({@link #ofSchema(String, String, Map, Function)}): for tools described
 *       elsewhere, such as MCP servers;</li>
 *   <li>from another tool, with a name, description, schemas, argument descriptions or timeout
 *       replaced ({@link #toBuilder()}).</li>
 * </ul>
 * Schemas derived from Java types are those pydantic gives the equivalent Python annotation:
 * {@code String} is {@code {"type": "string"}}, {@code List<Long>} is
 * {@code {"items": {"type": "integer"}, "type": "array"}}, a record is an object schema with its
 * {@code title}, {@code required} and property titles, an enum is a {@code Literal} of its values
 * ({@code toString()}), {@code Optional<T>} or {@code @Nullable T} is {@code anyOf [T, null]} with
 * {@code "default": null}; a default and then a description are appended last.
 *
 * <p>The LM sees a tool as {@link #toString()} when it is the value of an input field of type
 * {@code Tool} or {@code list[Tool]}, or as {@link #toSpec()} with native function calling.
 *
 * <p>Calling: {@link #invoke(Map)} checks each argument against its schema, fills in defaults,
 * converts the values to the Java types (maps to records, strings to enums, numbers to the
 * numeric type), runs the code and returns a {@link ToolResult}; it never throws for a bad
 * argument, an exception of the tool or a timeout. {@link #call(Map)} does the same but returns
 * the value and throws {@link ToolException} instead of returning a failure.
 *
 * <p>Immutable and thread-safe: one tool may be called from many threads at once, provided the
 * code behind it is itself thread-safe.
 */
@SpecialFieldType(FieldType.SpecialType.Kind.TOOL)
public final class Tool {

    private final String name;
    private final String desc;
    private final Map<String, Map<String, Object>> args;
    private final Map<String, String> argTypes;
    private final Map<String, String> argDesc;
    private final @Nullable Duration timeout;
    private final Binding binding;

    private Tool(Builder builder) {
        this.name = builder.name;
        this.desc = builder.desc;
        Map<String, Map<String, Object>> schemas = new LinkedHashMap<>();
        builder.args.forEach((arg, schema) -> schemas.put(arg, new LinkedHashMap<>(schema)));
        builder.argDesc.forEach((arg, text) -> {
            Map<String, Object> schema = schemas.get(arg);
            if (schema == null) {
                throw new IllegalArgumentException("argDesc names '" + arg + "', which is not an argument of tool '"
                        + builder.name + "'; its arguments are " + schemas.keySet() + ".");
            }
            schema.put("description", text);
        });
        Map<String, Map<String, Object>> frozen = new LinkedHashMap<>();
        schemas.forEach((arg, schema) -> frozen.put(arg, ToolInvocation.freeze(schema)));
        this.args = Collections.unmodifiableMap(frozen);
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, String> descriptions = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Object>> e : args.entrySet()) {
            types.put(e.getKey(), builder.argTypes.getOrDefault(e.getKey(), ToolSchemas.typeName(e.getValue())));
            if (e.getValue().get("description") instanceof String text) {
                descriptions.put(e.getKey(), text);
            }
        }
        this.argTypes = Collections.unmodifiableMap(types);
        this.argDesc = Collections.unmodifiableMap(descriptions);
        this.timeout = builder.timeout;
        this.binding = builder.binding;
    }

    /**
     * A tool for each method of the object's class annotated {@link ToolFunction}, bound to the
     * object (static methods too), in order of name.
     *
     * @param target the object whose methods to call
     * @return the tools, never empty
     * @throws IllegalArgumentException if no method is annotated, or an argument type has no
     *     schema (see the class description), or parameter names were not compiled in
     */
    public static List<Tool> fromAnnotated(Object target) {
        Objects.requireNonNull(target, "target");
        return annotated(target.getClass(), target);
    }

    /**
     * A tool for each static method of the class annotated {@link ToolFunction}, in order of name.
     *
     * @param type the class whose static methods to call
     * @return the tools, never empty
     * @throws IllegalArgumentException as {@link #fromAnnotated(Object)}, or if an annotated method
     *     is not static
     */
    public static List<Tool> fromAnnotated(Class<?> type) {
        Objects.requireNonNull(type, "type");
        return annotated(type, null);
    }

    private static List<Tool> annotated(Class<?> type, @Nullable Object target) {
        List<Method> methods = new ArrayList<>();
        for (Method method : type.getDeclaredMethods()) {
            if (method.isAnnotationPresent(ToolFunction.class) && !method.isSynthetic()) {
                methods.add(method);
            }
        }
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("No method of " + type.getName() + " is annotated @ToolFunction.");
        }
        methods.sort(Comparator.comparing(Method::getName));
        List<Tool> tools = new ArrayList<>();
        for (Method method : methods) {
            tools.add(fromMethod(method, Modifier.isStatic(method.getModifiers()) ? null : target));
        }
        return List.copyOf(tools);
    }

    /**
     * A tool that calls a method. Its name and description come from {@link ToolFunction} if the
     * method has it, else the name is the method's name in snake case and there is no description.
     *
     * @param method the method; made accessible if it can be
     * @param target the object to call it on, or {@code null} for a static method
     * @return the tool
     * @throws IllegalArgumentException if {@code target} is missing for an instance method or
     *     given for a static one, an argument type has no schema, or parameter names were not
     *     compiled in
     */
    public static Tool fromMethod(Method method, @Nullable Object target) {
        Objects.requireNonNull(method, "method");
        boolean isStatic = Modifier.isStatic(method.getModifiers());
        if (isStatic != (target == null)) {
            throw new IllegalArgumentException(isStatic
                    ? "Method " + method.getName() + " is static; pass null as the target."
                    : "Method " + method.getName() + " is an instance method; pass the object to call it on.");
        }
        try {
            method.setAccessible(true);
        } catch (RuntimeException ignored) {
            // public methods of exported packages work without it
        }
        List<ToolSchemas.Argument> arguments = ToolSchemas.ofMethod(method);
        ToolFunction annotation = method.getAnnotation(ToolFunction.class);
        String name = annotation != null && !annotation.name().isEmpty()
                ? annotation.name() : Names.toSnakeCase(method.getName());
        String desc = annotation != null ? annotation.value() : "";
        Builder builder = new Builder(name, desc, new Binding.MethodBinding(method, target, parameters(arguments)));
        return builder.derived(arguments).build();
    }

    /**
     * A tool that calls a function of one record, whose components are the arguments (named in
     * snake case or by {@link dev.dspy4j.signature.Name}, described by
     * {@link dev.dspy4j.signature.Desc}, defaulted by {@link Default}).
     *
     * <pre>{@code
     * record Weather(String city, @Default("1") int days) {}
     * Tool tool = Tool.of("get_weather", "Get the weather forecast for a city.", Weather.class,
     *         w -> forecasts.get(w.city(), w.days()));
     * }</pre>
     *
     * @param name the tool's name
     * @param desc what the tool does, shown to the LM ({@code ""} for nothing)
     * @param argsType the record class of the arguments
     * @param function the code to run
     * @param <A> the record type
     * @return the tool
     * @throws IllegalArgumentException if a component type has no schema
     */
    public static <A extends Record> Tool of(String name, String desc, Class<A> argsType,
                                             Function<? super A, ?> function) {
        Objects.requireNonNull(argsType, "argsType");
        Objects.requireNonNull(function, "function");
        List<ToolSchemas.Argument> arguments = ToolSchemas.ofRecord(argsType);
        Builder builder = new Builder(name, desc, new Binding.RecordBinding<>(argsType, function, parameters(arguments)));
        return builder.derived(arguments).build();
    }

    /**
     * A tool described by a JSON schema per argument, calling a function of the argument map. The
     * function gets the arguments the LM gave, checked against their schemas, as plain values
     * ({@code String}, {@code Long}, {@code Double}, {@code Boolean}, {@code List}, {@code Map},
     * {@code null}); defaults are not filled in. The argument types ({@link #argTypes()}) are
     * inferred from the schemas.
     *
     * @param name the tool's name
     * @param desc what the tool does ({@code ""} for nothing)
     * @param args argument name to JSON schema, in the order to show the LM
     * @param function the code to run
     * @return the tool
     */
    public static Tool ofSchema(String name, String desc, Map<String, ? extends Map<String, ?>> args,
                                Function<Map<String, @Nullable Object>, ?> function) {
        Objects.requireNonNull(function, "function");
        return new Builder(name, desc, new Binding.MapBinding(function)).args(args).build();
    }

    private static List<Binding.JavaParameter> parameters(List<ToolSchemas.Argument> arguments) {
        return arguments.stream().map(a -> new Binding.JavaParameter(a.name(), a.javaType())).toList();
    }

    /** The name the LM calls this tool by. */
    public String name() {
        return name;
    }

    /** What the tool does, shown to the LM; {@code ""} if there is no description. */
    public String desc() {
        return desc;
    }

    /**
     * Each argument's JSON schema, in order, as DSPy's {@code Tool.args}; argument descriptions
     * are the schemas' {@code description}. Unmodifiable, deeply.
     */
    public Map<String, Map<String, Object>> args() {
        return args;
    }

    /**
     * Each argument's type as DSPy spells it ({@code str}, {@code list[int]},
     * {@code Optional[str]}, {@code Literal['red', 'blue']}, a record's name, {@code Any}).
     */
    public Map<String, String> argTypes() {
        return argTypes;
    }

    /** The arguments that have a description, with it. */
    public Map<String, String> argDesc() {
        return argDesc;
    }

    /** How long a call may run before it is interrupted; empty for no limit (the default). */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /**
     * Calls the tool and reports the outcome as a value: see the class description. If the tool
     * has a {@linkplain #timeout() timeout}, it runs on a virtual thread that is interrupted when
     * the time is up, and the call returns at the deadline whether or not the tool stops.
     * Otherwise it runs on the calling thread.
     *
     * @param arguments argument name to value: plain JSON-like values as parsed from the LM, or
     *     Java values (records, enums, lists...), which are reduced to plain values first
     * @return the tool's value, or why there is none; never {@code null}
     */
    public ToolResult invoke(Map<String, ?> arguments) {
        return ToolInvocation.invoke(this, binding, arguments);
    }

    /**
     * Calls the tool as {@link #invoke(Map)} does, returning its value.
     *
     * @param arguments argument name to value
     * @return what the tool returned, possibly {@code null}
     * @throws ToolException if an argument is bad, the tool threw (the cause), timed out, or the
     *     calling thread was interrupted
     */
    public @Nullable Object call(Map<String, ?> arguments) {
        return switch (invoke(arguments)) {
            case ToolResult.Success success -> success.value();
            case ToolResult.Failure failure -> throw failure.toException();
        };
    }

    /**
     * This tool for native function calling, in DSPy's shape: parameters
     * {@code {"type": "object", "properties": args, "required": [args without a default]}}.
     */
    public ToolSpec toSpec() {
        List<String> required = new ArrayList<>();
        args.forEach((arg, schema) -> {
            if (!schema.containsKey("default")) {
                required.add(arg);
            }
        });
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("type", "object");
        parameters.put("properties", args);
        parameters.put("required", List.copyOf(required));
        return new ToolSpec(name, desc, parameters);
    }

    /** A builder that starts from this tool: same code, name, description, schemas and timeout. */
    public Builder toBuilder() {
        Builder builder = new Builder(name, desc, binding);
        builder.args.putAll(args);
        builder.argTypes.putAll(argTypes);
        builder.timeout = timeout;
        return builder;
    }

    /**
     * The tool as DSPy shows it in prompts ({@code str(tool)}):
     * {@code <name>, whose description is <desc>...</desc>. It takes arguments {...}.}, the
     * arguments being the Python {@code repr} of {@link #args()}; line breaks in the description
     * become two spaces; without a description, {@code <name>. It takes arguments {...}.}
     */
    @Override
    public String toString() {
        String about = desc.isEmpty() ? "." : (", whose description is <desc>" + desc + "</desc>.").replace("\n", "  ");
        return name + about + " It takes arguments " + PythonValues.repr(args) + ".";
    }

    /**
     * Replaces parts of a tool, as DSPy's {@code Tool(func, name=, desc=, args=, arg_desc=)}
     * overrides do. Each setting is checked as it is set; {@link #build()} checks that argument
     * descriptions name arguments. Not thread-safe; the tools it builds are.
     */
    public static final class Builder {
        private String name;
        private String desc;
        private final Map<String, Map<String, ?>> args = new LinkedHashMap<>();
        private final Map<String, String> argTypes = new LinkedHashMap<>();
        private final Map<String, String> argDesc = new LinkedHashMap<>();
        private @Nullable Duration timeout;
        private final Binding binding;

        private Builder(String name, String desc, Binding binding) {
            this.name = checkName(name);
            this.desc = Objects.requireNonNull(desc, "desc");
            this.binding = binding;
        }

        private static String checkName(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("A tool's name must not be blank.");
            }
            return name;
        }

        private Builder derived(List<ToolSchemas.Argument> arguments) {
            for (ToolSchemas.Argument argument : arguments) {
                args.put(argument.name(), argument.schema());
                argTypes.put(argument.name(), argument.typeName());
            }
            return this;
        }

        /**
         * The name the LM calls the tool by.
         *
         * @throws IllegalArgumentException if blank
         */
        public Builder name(String name) {
            this.name = checkName(name);
            return this;
        }

        /** What the tool does, shown to the LM; {@code ""} for nothing. */
        public Builder desc(String desc) {
            this.desc = Objects.requireNonNull(desc, "desc");
            return this;
        }

        /**
         * Replaces every argument's schema. For a tool that calls Java code, the names must be the
         * Java arguments' names, in any order; the schemas' {@code default}s are used for
         * arguments the LM leaves out.
         *
         * @param args argument name to JSON schema, in the order to show the LM
         * @throws IllegalArgumentException if a Java argument has no schema or a name is unknown
         */
        public Builder args(Map<String, ? extends Map<String, ?>> args) {
            Objects.requireNonNull(args, "args");
            List<String> javaNames = binding.parameters().stream().map(Binding.JavaParameter::name).toList();
            if (!javaNames.isEmpty() && !(javaNames.containsAll(args.keySet()) && args.keySet().containsAll(javaNames))) {
                throw new IllegalArgumentException("Tool '" + name + "' calls Java code taking " + javaNames
                        + "; args must describe exactly those, not " + args.keySet() + ".");
            }
            this.args.clear();
            this.argTypes.clear();
            args.forEach((arg, schema) -> this.args.put(Objects.requireNonNull(arg, "argument name"),
                    Objects.requireNonNull(schema, "schema of " + arg)));
            return this;
        }

        /**
         * Describes one argument: sets its schema's {@code description} (appended last if new).
         * Checked against the arguments at {@link #build()}.
         */
        public Builder argDesc(String arg, String description) {
            argDesc.put(Objects.requireNonNull(arg, "arg"), Objects.requireNonNull(description, "description"));
            return this;
        }

        /**
         * Limits how long a call may run: after this, the tool's thread is interrupted and the
         * call returns a {@link ToolException.Kind#TIMEOUT} failure.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Removes the time limit (the default): calls run on the calling thread. */
        public Builder noTimeout() {
            this.timeout = null;
            return this;
        }

        /**
         * The tool.
         *
         * @throws IllegalArgumentException if an argument description names no argument
         */
        public Tool build() {
            return new Tool(this);
        }
    }
}
