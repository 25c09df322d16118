package dev.dspy4j.lm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An LM behind a chain of interceptors; keeps the target's identity (model, capabilities, state). */
final class InterceptedLm implements LM {

    private final LM target;
    private final List<LmInterceptor> chain;

    private InterceptedLm(LM target, List<LmInterceptor> chain) {
        this.target = target;
        this.chain = chain;
    }

    static LM of(LM target, List<LmInterceptor> interceptors) {
        if (interceptors.isEmpty()) {
            return target;
        }
        if (target instanceof InterceptedLm inner) {
            // adding links in front of an existing chain: one flat chain, outer links first
            List<LmInterceptor> all = new ArrayList<>(interceptors);
            all.addAll(inner.chain);
            return new InterceptedLm(inner.target, List.copyOf(all));
        }
        return new InterceptedLm(target, List.copyOf(interceptors));
    }

    @Override
    public LmResponse call(LmRequest request) {
        return new Link(0).proceed(request);
    }

    private final class Link implements LmInterceptor.Chain {
        private final int index;

        Link(int index) {
            this.index = index;
        }

        @Override
        public LmResponse proceed(LmRequest request) {
            if (index == chain.size()) {
                return target.call(request);
            }
            return chain.get(index).intercept(request, new Link(index + 1));
        }

        @Override
        public LM lm() {
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

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        chain.forEach(i -> names.add(i.getClass().getSimpleName()));
        return target + " behind " + names;
    }
}
