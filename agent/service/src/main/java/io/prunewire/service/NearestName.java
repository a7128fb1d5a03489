package io.prunewire.service;

import java.util.Collection;
import java.util.Optional;

/**
 * The known name closest to a misspelt one, for "did you mean" hints in configuration errors.
 *
 * <p>Distance is the Levenshtein edit distance d(a, b): the fewest single-character insertions,
 * deletions and substitutions turning a into b. A name is suggested only when d ≤ max(2, |typed| /
 * 4), so unrelated keys are not offered as corrections.
 */
final class NearestName {

  private NearestName() {}

  /**
   * The closest of {@code known} to {@code typed}, if close enough; ties go to the first in
   * iteration order.
   */
  static Optional<String> to(String typed, Collection<String> known) {
    int limit = Math.max(2, typed.length() / 4);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int d = editDistance(typed, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return bestDistance <= limit ? Optional.of(best) : Optional.empty();
  }

  /** "; did you mean 'x'?" or the empty string. */
  static String hint(String typed, Collection<String> known) {
    return to(typed, known).map(n -> "; did you mean '" + n + "'?").orElse("");
  }

  static int editDistance(String a, String b) {
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
