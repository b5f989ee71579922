package io.mailwatchdog.config;

import java.util.Collection;
import java.util.Optional;

/** Suggests the valid key nearest to a misspelt one. */
final class DidYouMean {
    static final int MAX_DISTANCE = 3;

    private DidYouMean() {
    }

    static Optional<String> suggest(String typed, Collection<String> valid) {
        String best = null;
        int bestDistance = MAX_DISTANCE + 1;
        for (String candidate : valid) {
            int d = levenshtein(typed.toLowerCase(), candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    static int levenshtein(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
