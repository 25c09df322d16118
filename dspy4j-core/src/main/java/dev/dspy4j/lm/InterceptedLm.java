package dev.dspy4j.lm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An LM behind a chain of interceptors; keeps the target's identity (model, capabilities, state)
 * and streams through the same chain.
 */
final class InterceptedLm implements Lm {

    private final Lm target;
    private final List<LmInterceptor> chain;

    private InterceptedLm(Lm target, List<LmInterceptor> chain) {
        this.target = target;
        this.chain = chain;
    }

    static Lm of(Lm target, List<LmInterceptor> interceptors) {
        return of(List.copyOf(interceptors), target, List.of());
    }

    /** {@code outer} links, then the target's own links, then {@code inner} links, as one flat chain. */
    static Lm of(List<LmInterceptor> outer, Lm target, List<LmInterceptor> inner) {
        if (outer.isEmpty() && inner.isEmpty()) {
            return target;
        }
        List<LmInterceptor> all = new ArrayList<>(outer);
        Lm end = target;
        if (target instanceof InterceptedLm existing) {
            all.addAll(existing.chain);
            end = existing.target;
        }
        all.addAll(inner);
        return new InterceptedLm(end, List.copyOf(all));
    }

    @Override
    public LmResponse call(LmRequest request) {
        return new Link(0, CallInfo.DIRECT).proceed(request);
    }

    @Override
    public LmStream stream(LmRequest request) {
        return new Link(0, CallInfo.DIRECT).proceedStream(request);
    }

    /** Runs the chain with known call details. */
    LmResponse call(LmRequest request, CallInfo call) {
        return new Link(0, call).proceed(request);
    }

    /** Runs the chain for a stream with known call details. */
    LmStream stream(LmRequest request, CallInfo call) {
        return new Link(0, call).proceedStream(request);
    }

    private final class Link implements LmInterceptor.Chain {
        private final int index;
        private final CallInfo call;

        Link(int index, CallInfo call) {
            this.index = index;
            this.call = call;
        }

        @Override
        public LmResponse proceed(LmRequest request) {
            if (index == chain.size()) {
                return target.call(request);
            }
            return chain.get(index).intercept(request, new Link(index + 1, call));
        }

        @Override
        public LmResponse proceed(LmRequest request, CallInfo newCall) {
            return new Link(index, newCall).proceed(request);
        }

        @Override
        public LmStream proceedStream(LmRequest request) {
            if (index == chain.size()) {
                return target.stream(request);
            }
            return chain.get(index).interceptStream(request, new Link(index + 1, call));
        }

        @Override
        public LmStream proceedStream(LmRequest request, CallInfo newCall) {
            return new Link(index, newCall).proceedStream(request);
        }

        @Override
        public CallInfo call() {
            return call;
        }

        @Override
        public Lm lm() {
            return target;
        }
    }

    @Override
    public String model() {
        return target.model();
    }

    @Override
    public LmCapabilities capabilities() {
        return target.capabilities();
    }

    @Override
    public Map<String, Object> savedState() {
        return target.savedState();
    }

    /** Closes the wrapped LM. */
    @Override
    public void close() {
        target.close();
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        chain.forEach(i -> names.add(i.getClass().getSimpleName()));
        return target + " behind " + names;
    }
}
