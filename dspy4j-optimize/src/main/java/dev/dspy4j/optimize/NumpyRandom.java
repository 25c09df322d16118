package dev.dspy4j.optimize;

/**
 * NumPy's {@code np.random.default_rng(seed)}, for the one draw SIMBA makes with it: a
 * {@code SeedSequence} of an int seed, the PCG64 bit generator it seeds (128-bit LCG, XSL-RR
 * output), and {@code Generator.poisson} (multiplication method below 10, PTRS from 10). The same
 * seed gives the same counts as NumPy 2. Not thread-safe.
 */
final class NumpyRandom {

    private static final long MULTIPLIER_HIGH = 0x2360ED051FC65DA4L;
    private static final long MULTIPLIER_LOW = 0x4385DF649FCCF645L;

    private long stateHigh;
    private long stateLow;
    private final long incHigh;
    private final long incLow;

    /**
     * {@code np.random.default_rng(seed)}.
     *
     * @throws IllegalArgumentException if the seed is negative, which NumPy refuses
     */
    NumpyRandom(long seed) {
        if (seed < 0) {
            throw new IllegalArgumentException("NumPy seeds must be non-negative, was " + seed + ".");
        }
        long[] words = seedSequenceState(seed);
        long initHigh = words[0];
        long initLow = words[1];
        long seqHigh = words[2];
        long seqLow = words[3];
        // pcg_setseq_128_srandom_r: inc = initseq << 1 | 1; step; state += initstate; step
        incHigh = (seqHigh << 1) | (seqLow >>> 63);
        incLow = (seqLow << 1) | 1L;
        stateHigh = 0;
        stateLow = 0;
        step();
        long low = stateLow + initLow;
        stateHigh = stateHigh + initHigh + (Long.compareUnsigned(low, stateLow) < 0 ? 1 : 0);
        stateLow = low;
        step();
    }

    /** The PCG64 state's two words (the increment follows from the seed), for a checkpoint. */
    long[] state() {
        return new long[] {stateHigh, stateLow};
    }

    /** Restores a {@link #state()}. */
    void restore(long[] state) {
        stateHigh = state[0];
        stateLow = state[1];
    }

    /** {@code SeedSequence(seed).generate_state(4, np.uint64)}, for a seed below 2^32 words of any count. */
    private static long[] seedSequenceState(long seed) {
        int[] entropy = seed == 0 ? new int[] {0}
                : (seed >>> 32) == 0 ? new int[] {(int) seed} : new int[] {(int) seed, (int) (seed >>> 32)};
        int[] pool = new int[4];
        int[] hashConst = {0x43b0d7e5};
        for (int i = 0; i < pool.length; i++) {
            pool[i] = hashmix(i < entropy.length ? entropy[i] : 0, hashConst);
        }
        for (int src = 0; src < pool.length; src++) {
            for (int dst = 0; dst < pool.length; dst++) {
                if (src != dst) {
                    pool[dst] = mix(pool[dst], hashmix(pool[src], hashConst));
                }
            }
        }
        for (int src = pool.length; src < entropy.length; src++) {
            for (int dst = 0; dst < pool.length; dst++) {
                pool[dst] = mix(pool[dst], hashmix(entropy[src], hashConst));
            }
        }
        int[] words32 = new int[8];
        int hash = 0x8b51f9dd;
        for (int i = 0; i < words32.length; i++) {
            int value = pool[i % pool.length];
            value ^= hash;
            hash *= 0x58f38ded;
            value *= hash;
            value ^= value >>> 16;
            words32[i] = value;
        }
        long[] words = new long[4];
        for (int i = 0; i < words.length; i++) { // viewed as little-endian uint64
            words[i] = Integer.toUnsignedLong(words32[2 * i]) | ((long) words32[2 * i + 1] << 32);
        }
        return words;
    }

    private static int hashmix(int value, int[] hashConst) {
        value ^= hashConst[0];
        hashConst[0] *= 0x931e8875;
        value *= hashConst[0];
        value ^= value >>> 16;
        return value;
    }

    private static int mix(int x, int y) {
        int result = 0xca01f9dd * x - 0x4973f715 * y;
        result ^= result >>> 16;
        return result;
    }

    /** state = state × multiplier + inc, modulo 2^128. */
    private void step() {
        long low = stateLow * MULTIPLIER_LOW;
        long high = Math.unsignedMultiplyHigh(stateLow, MULTIPLIER_LOW) + stateLow * MULTIPLIER_HIGH
                + stateHigh * MULTIPLIER_LOW;
        long sumLow = low + incLow;
        stateHigh = high + incHigh + (Long.compareUnsigned(sumLow, low) < 0 ? 1 : 0);
        stateLow = sumLow;
    }

    long nextLong() {
        step();
        return Long.rotateRight(stateHigh ^ stateLow, (int) (stateHigh >>> 58));
    }

    /** {@code next_double}: 53 random bits in {@code [0, 1)}. */
    double nextDouble() {
        return (nextLong() >>> 11) * (1.0 / 9007199254740992.0);
    }

    /**
     * {@code Generator.poisson(lam)}.
     *
     * @throws IllegalArgumentException if {@code lam} is negative or not finite
     */
    long poisson(double lam) {
        if (!(lam >= 0) || Double.isInfinite(lam)) {
            throw new IllegalArgumentException("poisson needs a finite lam >= 0, was " + lam + ".");
        }
        if (lam >= 10) {
            return poissonPtrs(lam);
        }
        if (lam == 0) {
            return 0;
        }
        double enlam = StrictMath.exp(-lam);
        long x = 0;
        double product = 1.0;
        while (true) {
            product *= nextDouble();
            if (product > enlam) {
                x++;
            } else {
                return x;
            }
        }
    }

    /** Hörmann's transformed rejection with squeeze, as NumPy's {@code random_poisson_ptrs}. */
    private long poissonPtrs(double lam) {
        double slam = StrictMath.sqrt(lam);
        double loglam = StrictMath.log(lam);
        double b = 0.931 + 2.53 * slam;
        double a = -0.059 + 0.02483 * b;
        double invalpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = nextDouble() - 0.5;
            double v = nextDouble();
            double us = 0.5 - Math.abs(u);
            long k = (long) Math.floor((2 * a / us + b) * u + lam + 0.43);
            if (us >= 0.07 && v <= vr) {
                return k;
            }
            if (k < 0 || (us < 0.013 && v > us)) {
                continue;
            }
            if (StrictMath.log(v) + StrictMath.log(invalpha) - StrictMath.log(a / (us * us) + b)
                    <= -lam + k * loglam - logGamma(k + 1)) {
                return k;
            }
        }
    }

    private static final double[] LOG_GAMMA_COEFFICIENTS = {
        8.333333333333333e-02, -2.777777777777778e-03, 7.936507936507937e-04, -5.952380952380952e-04,
        8.417508417508418e-04, -1.917526917526918e-03, 6.410256410256410e-03, -2.955065359477124e-02,
        1.796443723688307e-01, -1.39243221690590e+00};

    /** NumPy's {@code random_loggam}. */
    private static double logGamma(double x) {
        if (x == 1.0 || x == 2.0) {
            return 0.0;
        }
        long n = x < 7.0 ? (long) (7 - x) : 0;
        double x0 = x + n;
        double x2 = (1.0 / x0) * (1.0 / x0);
        double gl0 = LOG_GAMMA_COEFFICIENTS[9];
        for (int k = 8; k >= 0; k--) {
            gl0 *= x2;
            gl0 += LOG_GAMMA_COEFFICIENTS[k];
        }
        double gl = gl0 / x0 + 0.5 * StrictMath.log(2 * Math.PI) + (x0 - 0.5) * StrictMath.log(x0) - x0;
        if (x < 7.0) {
            for (long k = 1; k <= n; k++) {
                gl -= StrictMath.log(x0 - 1.0);
                x0 -= 1.0;
            }
        }
        return gl;
    }
}
