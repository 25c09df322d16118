package dev.dspy4j.lm;

/** Small {@link LM}s for unit tests outside this package. */
public final class FakeLms {

    private FakeLms() {
    }

    /** An LM named {@code model} that answers every request with {@code reply}. */
    public static LM named(String model, LmResponse reply) {
        return new LM() {
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
