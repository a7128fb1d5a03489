package io.prunewire.service.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few samples of an agent's {@code /metrics} text the benchmark needs: decisions issued, the
 * decision-latency histogram (barrier complete to decision produced) and the state store sizes.
 * Scrapes of several instances, or before and after a load, combine with {@link #plus} and {@link
 * #minus}.
 *
 * @param decisions {@code prunewire_decisions_total} of barriers that completed ({@code
 *     reason="complete"}); a barrier that timed out waited for a trainer that never came
 * @param latencyBuckets cumulative counts of {@code prunewire_decision_latency_seconds_bucket} by
 *     upper bound in seconds ({@code +Inf} as {@link Double#POSITIVE_INFINITY})
 * @param stateBytes {@code prunewire_state_bytes}, over every store
 */
record AgentScrape(double decisions, Map<Double, Double> latencyBuckets, double stateBytes) {

  private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)(\\{[^}]*})? (\\S+)$");
  private static final Pattern LE = Pattern.compile("le=\"([^\"]+)\"");

  static final AgentScrape EMPTY = new AgentScrape(0, Map.of(), 0);

  static AgentScrape parse(String text) {
    double decisions = 0;
    double state = 0;
    Map<Double, Double> buckets = new TreeMap<>();
    for (String line : text.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      double value = Double.parseDouble(m.group(3));
      switch (m.group(1)) {
        case "prunewire_decisions_total" -> {
          if (m.group(2).contains("reason=\"complete\"")) {
            decisions += value;
          }
        }
        case "prunewire_state_bytes" -> state += value;
        case "prunewire_decision_latency_seconds_bucket" -> {
          Matcher le = LE.matcher(m.group(2));
          if (le.find()) {
            String bound = le.group(1);
            buckets.merge(
                bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound),
                value,
                Double::sum);
          }
        }
        default -> {}
      }
    }
    return new AgentScrape(decisions, buckets, state);
  }

  AgentScrape plus(AgentScrape o) {
    return combine(o, 1);
  }

  AgentScrape minus(AgentScrape o) {
    return combine(o, -1);
  }

  private AgentScrape combine(AgentScrape o, int sign) {
    Map<Double, Double> b = new TreeMap<>(latencyBuckets);
    o.latencyBuckets.forEach((k, v) -> b.merge(k, sign * v, Double::sum));
    return new AgentScrape(decisions + sign * o.decisions, b, stateBytes + sign * o.stateBytes);
  }

  /**
   * A quantile of the decision latency in milliseconds, interpolated linearly inside the histogram
   * bucket that holds rank {@code q·count}, as Prometheus' {@code histogram_quantile} does: with
   * cumulative counts c₍ₖ₋₁₎ &lt; q·n ≤ cₖ between bounds bₖ₋₁ and bₖ, the estimate is bₖ₋₁ + (bₖ −
   * bₖ₋₁)·(q·n − cₖ₋₁)/(cₖ − cₖ₋₁). Beyond the last finite bound it returns that bound; NaN without
   * decisions.
   */
  double latencyMillis(double q) {
    double total = latencyBuckets.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
    if (total <= 0) {
      return Double.NaN;
    }
    double rank = q * total;
    double lower = 0;
    double below = 0;
    for (var e : latencyBuckets.entrySet()) {
      double upper = e.getKey();
      double count = e.getValue();
      if (count >= rank) {
        if (Double.isInfinite(upper)) {
          return 1e3 * lower;
        }
        return 1e3 * (lower + (upper - lower) * (rank - below) / Math.max(count - below, 1e-12));
      }
      lower = upper;
      below = count;
    }
    return 1e3 * lower;
  }
}
