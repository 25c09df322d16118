package dev.dspy4j.testkit.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Which requests a {@link FakeLmServer} fails, and how. Scripted faults come first, in the order
 * they were added, one per request; when none is left, each request fails with the probabilistic
 * rate, if one is set, drawing the fault from the mix with a seeded generator.
 *
 * <pre>{@code
 * server.faults().next(2, Fault.rateLimited(Duration.ofSeconds(1)));   // the next 2 calls get 429
 * server.faults().random(0.2, 42, Fault.serverError(), Fault.connectionReset());  // then 20% fail
 * }</pre>
 *
 * <p>Only LM endpoint requests (chat completions, messages, embeddings) draw faults. With a fixed
 * seed the sequence of drawn faults is reproducible; which concurrent request gets which draw
 * depends on arrival order.
 *
 * <p>Thread-safe: change the plan at any time, also while requests are in flight.
 */
public final class FaultPlan {

    private record Rule(Predicate<RecordedRequest> match, Fault fault) {
    }

    private final List<Rule> rules = new ArrayList<>();
    private final Deque<Fault> scripted = new ArrayDeque<>();
    private double rate;
    private List<Fault> mix = List.of();
    private SplittableRandom random = new SplittableRandom(0);

    FaultPlan() {
    }

    /**
     * Fails the next {@code count} requests (after any already scripted) with {@code fault}.
     *
     * @param count how many requests, at least 1
     * @param fault the fault
     * @return this plan
     */
    public synchronized FaultPlan next(int count, Fault fault) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, was " + count);
        }
        Objects.requireNonNull(fault, "fault");
        for (int i = 0; i < count; i++) {
            scripted.addLast(fault);
        }
        return this;
    }

    /** Fails the next request (after any already scripted) with {@code fault}. */
    public FaultPlan next(Fault fault) {
        return next(1, fault);
    }

    /**
     * Fails each request that no scripted fault applies to with probability {@code rate}, with a
     * fault drawn uniformly from {@code faults}. Replaces an earlier probabilistic setting.
     *
     * @param rate the failure probability, 0 to 1
     * @param seed the seed of the generator deciding which requests fail and how
     * @param faults the mix of faults, at least one
     * @return this plan
     */
    public synchronized FaultPlan random(double rate, long seed, Fault... faults) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("rate must be between 0 and 1, was " + rate);
        }
        if (faults.length == 0) {
            throw new IllegalArgumentException("faults must name at least one fault");
        }
        this.rate = rate;
        this.mix = List.of(faults);
        this.random = new SplittableRandom(seed);
        return this;
    }

    /**
     * Fails every request that {@code match} accepts with {@code fault}, before scripted and
     * random faults: faults that depend on the request's content, not on arrival order, so they
     * stay deterministic under concurrency (e.g. by an id in {@link RecordedRequest#lastUserText()}).
     * Rules are tried in the order they were added; {@code match} is called under the plan's lock,
     * once per request, and may keep state (e.g. fail only the first request for each id).
     *
     * @param match which requests fail
     * @param fault the fault
     * @return this plan
     */
    public synchronized FaultPlan when(Predicate<RecordedRequest> match, Fault fault) {
        rules.add(new Rule(Objects.requireNonNull(match, "match"), Objects.requireNonNull(fault, "fault")));
        return this;
    }

    /** Removes rules, scripted faults and the probabilistic rate: every request succeeds again. */
    public synchronized FaultPlan clear() {
        rules.clear();
        scripted.clear();
        rate = 0;
        mix = List.of();
        return this;
    }

    /** How many scripted faults are still waiting for a request. */
    public synchronized int pending() {
        return scripted.size();
    }

    /** The fault for {@code request}: the first matching rule's, else as {@link #draw()}. */
    synchronized Fault draw(RecordedRequest request) {
        for (Rule rule : rules) {
            if (rule.match().test(request)) {
                return rule.fault();
            }
        }
        return draw();
    }

    /** The fault for the next request, or {@code null} for a normal answer. */
    synchronized Fault draw() {
        Fault next = scripted.pollFirst();
        if (next != null) {
            return next;
        }
        if (rate > 0 && random.nextDouble() < rate) {
            return mix.get(random.nextInt(mix.size()));
        }
        return null;
    }
}
