package dev.dspy4j.optimize;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * CPython 3.11's {@code random.Random}, for the calls DSPy's optimizers make: the Mersenne Twister
 * MT19937 seeded as CPython seeds it from an int, {@code getrandbits}, {@code _randbelow},
 * {@code randint}, {@code randrange}, {@code random}, {@code choice}, {@code choices} (one element), {@code shuffle}
 * and {@code sample}. The same seed gives the same
 * numbers, shuffles and samples as Python. Not thread-safe.
 */
final class PythonRandom {

    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private final int[] mt = new int[N];
    private int index;

    /** {@code random.Random(seed)}; as in CPython, a negative seed acts as its absolute value. */
    PythonRandom(long seed) {
        this(BigInteger.valueOf(seed));
    }

    /** {@code random.Random(seed)} for an int seed of any size; a negative seed acts as its absolute value. */
    PythonRandom(BigInteger seed) {
        BigInteger n = seed.abs();
        int words = Math.max(1, (n.bitLength() + 31) / 32);
        int[] key = new int[words];
        for (int i = 0; i < words; i++) {
            key[i] = n.shiftRight(32 * i).intValue(); // the low 32 bits: little-endian words
        }
        initByArray(key);
    }

    /** The generator's state, CPython's {@code getstate()} words: the 624 words then the index. */
    int[] state() {
        int[] out = new int[N + 1];
        System.arraycopy(mt, 0, out, 0, N);
        out[N] = index;
        return out;
    }

    /**
     * Restores a state from {@link #state()}.
     *
     * @throws IllegalArgumentException if it is not 625 words with an index in {@code 0..624}
     */
    void restore(int[] state) {
        if (state.length != N + 1 || state[N] < 0 || state[N] > N) {
            throw new IllegalArgumentException("A Mersenne Twister state is " + (N + 1)
                    + " words ending with an index in 0.." + N + ".");
        }
        System.arraycopy(state, 0, mt, 0, N);
        index = state[N];
    }

    private void initGenrand(int s) {
        mt[0] = s;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        index = N;
    }

    private void initByArray(int[] key) {
        initGenrand(19650218);
        int i = 1;
        int j = 0;
        for (int k = Math.max(N, key.length); k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1664525)) + key[j] + j;
            i++;
            j++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if (j >= key.length) {
                j = 0;
            }
        }
        for (int k = N - 1; k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1566083941)) - i;
            i++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x80000000;
    }

    /** The next 32-bit output of MT19937, as an unsigned value in an int. */
    private int genrandUint32() {
        if (index >= N) {
            int kk;
            for (kk = 0; kk < N - M; kk++) {
                int y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
                mt[kk] = mt[kk + M] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
            }
            for (; kk < N - 1; kk++) {
                int y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
                mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
            }
            int y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
            mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
            index = 0;
        }
        int y = mt[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    /** {@code getrandbits(k)} for {@code 0 <= k <= 32}. */
    long getrandbits(int k) {
        if (k < 0 || k > 32) {
            throw new IllegalArgumentException("getrandbits(" + k + "): use bigGetrandbits beyond 32 bits.");
        }
        if (k == 0) {
            return 0;
        }
        return Integer.toUnsignedLong(genrandUint32()) >>> (32 - k);
    }

    /** {@code getrandbits(k)} for any {@code k >= 0}: 32-bit words from the least significant up. */
    BigInteger bigGetrandbits(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("getrandbits(" + k + ")");
        }
        if (k <= 32) {
            return BigInteger.valueOf(getrandbits(k));
        }
        BigInteger result = BigInteger.ZERO;
        int shift = 0;
        for (int left = k; left > 0; left -= 32, shift += 32) {
            long r = Integer.toUnsignedLong(genrandUint32());
            if (left < 32) {
                r >>>= 32 - left;
            }
            result = result.or(BigInteger.valueOf(r).shiftLeft(shift));
        }
        return result;
    }

    /** {@code _randbelow(n)}: uniform in {@code [0, n)} by rejection on {@code n.bit_length()} bits. */
    int randbelow(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("randbelow(" + n + ")");
        }
        int k = 32 - Integer.numberOfLeadingZeros(n);
        long r = getrandbits(k);
        while (r >= n) {
            r = getrandbits(k);
        }
        return (int) r;
    }

    /** {@code randint(a, b)}: uniform in {@code [a, b]}. */
    int randint(int a, int b) {
        long width = (long) b - a + 1;
        if (width <= 0 || width > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("randint(" + a + ", " + b + ")");
        }
        return a + randbelow((int) width);
    }

    /** {@code random()}: a 53-bit float in {@code [0, 1)}. */
    double random() {
        long a = Integer.toUnsignedLong(genrandUint32()) >>> 5;
        long b = Integer.toUnsignedLong(genrandUint32()) >>> 6;
        return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
    }

    /** {@code randrange(n)}: uniform in {@code [0, n)}, the same draw as {@code _randbelow(n)}. */
    int randrange(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("randrange(" + n + "): empty range.");
        }
        return randbelow(n);
    }

    /** {@code choice(seq)}: one element, drawn by {@code _randbelow(len(seq))}. */
    <T> T choice(List<T> seq) {
        if (seq.isEmpty()) {
            throw new IllegalArgumentException("choice from an empty sequence.");
        }
        return seq.get(randbelow(seq.size()));
    }

    /**
     * {@code choices(population, weights, k=1)[0]}: one element drawn with the given relative
     * weights, as CPython 3.11 draws it (cumulative weights, one {@code random()}, bisect right
     * below the last index).
     *
     * @throws IllegalArgumentException if the sizes differ, the list is empty, or the weights do
     *     not sum to a positive finite number
     */
    <T> T weightedChoice(List<T> population, List<Double> weights) {
        int n = population.size();
        if (n == 0 || weights.size() != n) {
            throw new IllegalArgumentException("choices needs as many weights as elements (" + weights.size()
                    + " weights, " + n + " elements), and at least one element.");
        }
        double[] cumulative = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += weights.get(i);
            cumulative[i] = sum;
        }
        double total = cumulative[n - 1] + 0.0;
        if (!(total > 0.0) || Double.isInfinite(total)) {
            throw new IllegalArgumentException("choices needs weights with a positive finite sum, got " + total + ".");
        }
        double x = random() * total;
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) { // bisect_right(cumulative, x, 0, n - 1)
            int mid = (lo + hi) >>> 1;
            if (x < cumulative[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return population.get(lo);
    }

    /** {@code shuffle(list)} in place. */
    <T> void shuffle(List<T> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = randbelow(i + 1);
            T tmp = list.get(i);
            list.set(i, list.get(j));
            list.set(j, tmp);
        }
    }

    /**
     * {@code sample(population, k)}: {@code k} distinct elements in selection order, by CPython
     * 3.11's pool algorithm for small populations and its selected-set algorithm for large ones.
     *
     * @throws IllegalArgumentException if {@code k} is negative or larger than the population
     */
    <T> List<T> sample(List<T> population, int k) {
        int n = population.size();
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("Sample of " + k + " from " + n + " elements.");
        }
        List<T> result = new ArrayList<>(k);
        long setsize = 21;
        if (k > 5) {
            setsize += (long) Math.pow(4, Math.ceil(Math.log(k * 3.0) / Math.log(4)));
        }
        if (n <= setsize) {
            List<T> pool = new ArrayList<>(population);
            for (int i = 0; i < k; i++) {
                int j = randbelow(n - i);
                result.add(pool.get(j));
                pool.set(j, pool.get(n - i - 1));
            }
        } else {
            Set<Integer> selected = new HashSet<>();
            for (int i = 0; i < k; i++) {
                int j = randbelow(n);
                while (selected.contains(j)) {
                    j = randbelow(n);
                }
                selected.add(j);
                result.add(population.get(j));
            }
        }
        return result;
    }
}
