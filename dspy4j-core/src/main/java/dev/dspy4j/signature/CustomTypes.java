package dev.dspy4j.signature;

import java.lang.reflect.InvocationTargetException;

/** The instances of the {@link CustomType} classes named by {@link CustomFieldType}, one per class. */
final class CustomTypes {

    /** Why a custom type class could not be instantiated (kept so every use reports it). */
    private record Failure(String message, Throwable cause) {}

    private static final ClassValue<Object> INSTANCES = new ClassValue<>() {
        @Override
        protected Object computeValue(Class<?> type) {
            try {
                return type.getConstructor().newInstance();
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                return new Failure("Custom type " + type.getName() + " failed in its constructor: " + cause, cause);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return new Failure("Custom type " + type.getName() + " needs a public no-argument constructor "
                        + "(in a public class, or with its package opened to dev.dspy4j.core): " + e, e);
            }
        }
    };

    private CustomTypes() {}

    static CustomType<?> instance(Class<? extends CustomType<?>> typeClass, Class<?> valueClass, String where) {
        Object instance = INSTANCES.get(typeClass);
        if (instance instanceof Failure failure) {
            SignatureException error = new SignatureException(failure.message() + " (for " + where + ")");
            error.initCause(failure.cause());
            throw error;
        }
        CustomType<?> type = (CustomType<?>) instance;
        if (!type.valueClass().isAssignableFrom(valueClass)) {
            throw new SignatureException("@CustomFieldType(" + typeClass.getSimpleName() + ".class) on "
                    + valueClass.getName() + " names a type for values of " + type.valueClass().getName()
                    + "; its valueClass() must be " + valueClass.getSimpleName() + " or a supertype (at " + where + ")");
        }
        return type;
    }
}
