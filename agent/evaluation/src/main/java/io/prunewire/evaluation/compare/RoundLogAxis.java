package io.prunewire.evaluation.compare;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

/**
 * A base-10 log axis whose ticks sit on round numbers that read as plain decimals (JFreeChart's own
 * log axes label a range narrower than a decade with values like 416.869 or not at all).
 */
final class RoundLogAxis extends LogAxis {

  private static final long serialVersionUID = 1L;

  /**
   * Fewest ticks wanted on the axis: a range narrower than this many decade steps gets linear round
   * steps.
   */
  private static final int MIN_TICKS = 4;

  /** Most ticks before the decade ticks thin out to powers of ten. */
  private static final int MAX_TICKS = 12;

  RoundLogAxis(String label) {
    super(label);
    setBase(10);
  }

  @Override
  @SuppressWarnings("rawtypes")
  public List refreshTicks(
      Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
    boolean vertical = RectangleEdge.isLeftOrRight(edge);
    TextAnchor anchor =
        vertical
            ? (edge == RectangleEdge.LEFT ? TextAnchor.CENTER_RIGHT : TextAnchor.CENTER_LEFT)
            : (edge == RectangleEdge.TOP ? TextAnchor.BOTTOM_CENTER : TextAnchor.TOP_CENTER);
    DecimalFormat format =
        new DecimalFormat("#,##0.####", DecimalFormatSymbols.getInstance(Locale.ROOT));
    List<NumberTick> ticks = new ArrayList<>();
    for (double v : roundValues(getLowerBound(), getUpperBound())) {
      ticks.add(
          new NumberTick(TickType.MAJOR, v, format.format(v), anchor, TextAnchor.CENTER, 0.0));
    }
    return ticks;
  }

  /**
   * Round values in {@code [lo, hi]} (0 < lo < hi): {@code m·10^k} for {@code m} in {1, 2, 5} (or
   * only 1 when that gives more than {@link #MAX_TICKS}); when that gives fewer than {@link
   * #MIN_TICKS}, every multiple of a 1-2-5 step of about an eighth of the range instead.
   */
  static List<Double> roundValues(double lo, double hi) {
    if (!(lo > 0) || !(hi > lo) || !Double.isFinite(hi)) {
      return List.of();
    }
    List<Double> decades = new ArrayList<>();
    List<Double> powers = new ArrayList<>();
    for (int k = (int) Math.floor(Math.log10(lo)); k <= (int) Math.ceil(Math.log10(hi)); k++) {
      for (int m : new int[] {1, 2, 5}) {
        double v = Double.parseDouble(m + "e" + k);
        if (v >= lo && v <= hi) {
          decades.add(v);
          if (m == 1) {
            powers.add(v);
          }
        }
      }
    }
    if (decades.size() > MAX_TICKS) {
      return powers;
    }
    if (decades.size() >= MIN_TICKS) {
      return decades;
    }
    double step = niceStep((hi - lo) / 8);
    List<Double> linear = new ArrayList<>();
    for (long i = (long) Math.ceil(lo / step); i * step <= hi; i++) {
      // Through the decimal text so that 3 × 0.1 reads 0.3, not 0.30000000000000004.
      linear.add(Double.parseDouble(String.format(Locale.ROOT, "%.12g", i * step)));
    }
    return linear;
  }

  /** The smallest of 1, 2 or 5 × 10^k that is at least {@code rough}. */
  static double niceStep(double rough) {
    int k = (int) Math.floor(Math.log10(rough));
    for (int m : new int[] {1, 2, 5, 10}) {
      double step = Double.parseDouble(m + "e" + k);
      if (step >= rough) {
        return step;
      }
    }
    throw new IllegalStateException("unreachable: 10 × 10^k ≥ rough for k = floor(log10(rough))");
  }
}
