package dev.dspy4j.retrieve;

import java.util.Objects;

/** Argument checks shared by this package's retrievers. */
final class Checks {

    private Checks() {
    }

    static String query(String query, int maxChars, String where) {
        Objects.requireNonNull(query, "query");
        if (query.length() > maxChars) {
            throw new IllegalArgumentException(where + ": the query has " + query.length()
                    + " characters, more than the limit of " + maxChars + "; shorten it.");
        }
        return query;
    }

    static int k(int k, int maxK, String where) {
        if (k < 1 || k > maxK) {
            throw new IllegalArgumentException(where + ": k must be "
                    + (maxK == Integer.MAX_VALUE ? "at least 1" : "between 1 and " + maxK) + ", not " + k + ".");
        }
        return k;
    }
}
