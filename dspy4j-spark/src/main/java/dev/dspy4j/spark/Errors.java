package dev.dspy4j.spark;

/** How an error is named when it crosses the wire. */
final class Errors {

    private Errors() {
    }

    /** {@code LmException.Transport} rather than {@code Transport} or the package-qualified name. */
    static String typeName(Throwable error) {
        if (error instanceof RemoteError remote) {
            return remote.type();
        }
        Class<?> type = error.getClass();
        String name = type.getSimpleName();
        for (Class<?> outer = type.getEnclosingClass(); outer != null; outer = outer.getEnclosingClass()) {
            name = outer.getSimpleName() + "." + name;
        }
        return name.isEmpty() ? type.getName() : name;
    }

    static String message(Throwable error) {
        String message = error.getMessage();
        return message == null ? "" : message;
    }

    /** {@code "Type: message"}, or the type alone without a message. */
    static String text(Throwable error) {
        String message = message(error);
        return message.isEmpty() ? typeName(error) : typeName(error) + ": " + message;
    }

    static RemoteError remote(Throwable error) {
        return error instanceof RemoteError remote ? remote : new RemoteError(typeName(error), message(error));
    }
}
