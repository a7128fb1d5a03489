package io.prunewire.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the agent's Prometheus text exposition in tests. */
final class Scrape {

  private Scrape() {}

  /**
   * The value of one series, written as in the scrape ({@code name{label="value",...}}, labels in
   * the registry's order); fails the test if the scrape lacks it.
   */
  static double value(String scrape, String series) {
    Matcher m =
        Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE)
            .matcher(scrape);
    assertThat(m.find()).as("series %s in /metrics", series).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
