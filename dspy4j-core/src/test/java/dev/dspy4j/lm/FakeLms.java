package dev.dspy4j.lm;

/** Small {@link Lm}s for unit tests outside this package. */
public final class FakeLms {

    private FakeLms() {
    }

    /** An LM named {@code model} that answers every request with {@code reply}. */
    public static Lm named(String model, LmResponse reply) {
        return new Lm() {
            @Override
            public LmResponse call(LmRequest request) {
                return reply;
            }

            @Override
            public String model() {
                return model;
            }
        };
    }
}
