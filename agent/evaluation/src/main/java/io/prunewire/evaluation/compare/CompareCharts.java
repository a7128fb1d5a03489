package io.prunewire.evaluation.compare;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The report's PNG plots, drawn with JFreeChart without a display. */
final class CompareCharts {

  static final String PERPLEXITY = "perplexity-vs-fraction.png";
  static final String PERPLEXITY_FINE_TUNED = "perplexity-vs-fraction-finetuned.png";
  static final String SPEARMAN = "spearman.png";
  static final String STABILITY = "stability.png";
  static final String COST = "cost-vs-width.png";
  static final String PROGRESSIVE = "progressive.png";

  /** Every file {@link #writeAll} writes. */
  static final List<String> FILES =
      List.of(PERPLEXITY, PERPLEXITY_FINE_TUNED, SPEARMAN, STABILITY, COST, PROGRESSIVE);

  /**
   * Above this many lines a plot draws only the reference scorers in colour and the rest thin grey.
   */
  static final int MAX_COLOURED_LINES = 10;

  /** The cost plot draws this many slowest scorers and the median over all when there are more. */
  static final int SLOWEST_COSTS = 5;

  private static final int WIDTH = 1000;
  private static final int HEIGHT = 620;
  private static final String NO_DATA = "not measured in this run";
  private static final Color GREY = new Color(0xbbbbbb);
  private static final Color[] PALETTE = {
    new Color(0x1f77b4),
    new Color(0xd62728),
    new Color(0x2ca02c),
    new Color(0xff7f0e),
    new Color(0x9467bd),
    new Color(0x8c564b),
    new Color(0xe377c2),
    new Color(0x17becf),
    new Color(0xbcbd22),
    new Color(0x7f7f7f)
  };
  private static final Map<String, Color> REFERENCE_COLOURS =
      Map.of(
          Names.ORACLE,
          Color.BLACK,
          Names.HAP,
          new Color(0xd62728),
          Names.RANDOM,
          new Color(0x7f7f7f),
          Names.LEARNED,
          new Color(0x1f77b4));

  /** Colours of the lines that are not {@link #REFERENCE_COLOURS}: none of those, all distinct. */
  private static final Color[] OTHER_COLOURS = {
    new Color(0x2ca02c),
    new Color(0xff7f0e),
    new Color(0x9467bd),
    new Color(0x8c564b),
    new Color(0xe377c2),
    new Color(0x17becf),
    new Color(0xbcbd22),
    new Color(0x393b79),
    new Color(0x637939),
    new Color(0xad494a)
  };

  static {
    // Reports are written on servers and in CI: never look for a display.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private CompareCharts() {}

  static void writeAll(CompareResult r, PruningGrid grid, Path dir) throws IOException {
    save(dir, PERPLEXITY, perplexity(r, grid, false), HEIGHT);
    save(dir, PERPLEXITY_FINE_TUNED, perplexity(r, grid, true), HEIGHT);
    List<CompareResult.Ranking> ranked =
        r.ranking().stream()
            .filter(k -> Cells.defined(k.pooledNormalised()))
            .sorted(Comparator.comparing(CompareResult.Ranking::pooledNormalised).reversed())
            .toList();
    save(dir, SPEARMAN, spearman(ranked), barsHeight(ranked.size()));
    save(dir, STABILITY, stability(r.stability()), barsHeight(r.stability().size()));
    save(dir, COST, cost(r.scoringCost()), HEIGHT);
    save(dir, PROGRESSIVE, progressive(r), HEIGHT);
  }

  private static int barsHeight(int bars) {
    return Math.max(300, 120 + 24 * bars);
  }

  private static void save(Path dir, String name, JFreeChart chart, int height) throws IOException {
    ChartUtils.saveChartAsPNG(dir.resolve(name).toFile(), chart, WIDTH, height);
  }

  /** Perplexity against the pruned percentage, one line per scorer, on a log perplexity axis. */
  private static JFreeChart perplexity(CompareResult r, PruningGrid grid, boolean fineTuned) {
    XYSeriesCollection data = new XYSeriesCollection();
    List<String> scorers = fineTuned ? grid.fineTunedScorers() : grid.scorers();
    for (String scorer : scorers) {
      XYSeries s = new XYSeries(scorer);
      for (int c = 0; c < grid.fractions().size(); c++) {
        addFinite(s, grid.fractions().get(c) * 100, grid.perplexity(scorer, c, fineTuned));
      }
      data.addSeries(s);
    }
    JFreeChart chart =
        lines(
            fineTuned
                ? "Validation perplexity after pruning and the short fine-tune"
                : "Validation perplexity after pruning (no fine-tune)",
            "pruned (% of hidden neurons)",
            "validation perplexity (log scale)",
            data,
            true,
            false);
    colourScorers(chart, scorers, grid::kind);
    addUnpruned(chart, data, r.model().validPerplexity(), grid.fractions());
    return chart;
  }

  /** A dashed horizontal line at the unpruned network's perplexity across the pruned fractions. */
  private static void addUnpruned(
      JFreeChart chart, XYSeriesCollection data, double perplexity, List<Double> fractions) {
    if (!Double.isFinite(perplexity) || !(perplexity > 0) || fractions.isEmpty()) {
      return;
    }
    XYSeries unpruned = new XYSeries("unpruned (" + Cells.ppl(perplexity) + ")");
    unpruned.add(fractions.get(0) * 100, perplexity);
    unpruned.add(fractions.get(fractions.size() - 1) * 100, perplexity);
    data.addSeries(unpruned);
    XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) chart.getXYPlot().getRenderer();
    int i = data.getSeriesCount() - 1;
    renderer.setSeriesPaint(i, Color.DARK_GRAY);
    renderer.setSeriesShapesVisible(i, false);
    renderer.setSeriesStroke(
        i,
        new BasicStroke(
            1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
  }

  /**
   * Every line in its own colour when there are few; otherwise the reference scorers (oracle,
   * random, hap) and the fusions in colour and thick, the other criteria thin grey and out of the
   * legend.
   */
  private static void colourScorers(
      JFreeChart chart, List<String> scorers, Function<String, String> kind) {
    XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) chart.getXYPlot().getRenderer();
    boolean few = scorers.size() <= MAX_COLOURED_LINES;
    int coloured = 0;
    int grey = 0;
    for (int i = 0; i < scorers.size(); i++) {
      String scorer = scorers.get(i);
      Color reference = REFERENCE_COLOURS.get(scorer);
      boolean fusion = Names.FUSION.equals(kind.apply(scorer));
      if (few || reference != null || fusion) {
        renderer.setSeriesPaint(
            i, reference != null ? reference : OTHER_COLOURS[coloured++ % OTHER_COLOURS.length]);
        renderer.setSeriesStroke(i, new BasicStroke(reference != null || fusion ? 2.5f : 1.5f));
      } else {
        renderer.setSeriesPaint(i, GREY);
        renderer.setSeriesStroke(i, new BasicStroke(0.8f));
        renderer.setSeriesShapesVisible(i, false);
        renderer.setSeriesVisibleInLegend(i, false);
        grey++;
      }
    }
    if (grey > 0) {
      chart.addSubtitle(
          new TextTitle(
              "thin grey: the other " + grey + " criteria (see the table for their names)"));
    }
  }

  /** Horizontal bars of pooled normalised Spearman ρ, best first, coloured by kind. */
  private static JFreeChart spearman(List<CompareResult.Ranking> ranked) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (CompareResult.Ranking k : ranked) {
      data.addValue(k.pooledNormalised(), "pooled normalised ρ", k.scorer());
    }
    JFreeChart chart =
        ChartFactory.createBarChart(
            "Spearman ρ with the single-ablation oracle (pooled, normalised)",
            "scorer",
            "ρ",
            data,
            PlotOrientation.HORIZONTAL,
            false,
            false,
            false);
    CategoryPlot plot = chart.getCategoryPlot();
    List<String> kinds = ranked.stream().map(CompareResult.Ranking::kind).toList();
    List<String> names = ranked.stream().map(CompareResult.Ranking::scorer).toList();
    BarRenderer renderer =
        new BarRenderer() {
          @Override
          public Paint getItemPaint(int row, int column) {
            Color reference = REFERENCE_COLOURS.get(names.get(column));
            if (reference != null) {
              return reference;
            }
            return Names.FUSION.equals(kinds.get(column)) ? OTHER_COLOURS[0] : new Color(0x6baed6);
          }
        };
    plot.setRenderer(renderer);
    styleBars(chart);
    chart.addSubtitle(
        new TextTitle(
            "black: oracle · red: hap · grey: random · blue: learned · green: other fusions"
                + " · light blue: other criteria; undefined ρ omitted"));
    double lowest =
        ranked.stream().mapToDouble(CompareResult.Ranking::pooledNormalised).min().orElse(0);
    ((NumberAxis) plot.getRangeAxis()).setRange(Math.min(0, lowest), 1);
    return chart;
  }

  /** Horizontal bars of Kendall τ and Jaccard per scorer. */
  private static JFreeChart stability(List<CompareResult.Stability> rows) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (CompareResult.Stability s : rows) {
      data.addValue(s.kendallTau(), "Kendall τ-b of rankings", s.scorer());
      data.addValue(
          s.jaccard(), "Jaccard of kept sets at " + Cells.percent(s.fraction()), s.scorer());
    }
    JFreeChart chart =
        ChartFactory.createBarChart(
            "Stability across telemetry seeds (mean over seed pairs)",
            "scorer",
            "agreement",
            data,
            PlotOrientation.HORIZONTAL,
            true,
            false,
            false);
    styleBars(chart);
    BarRenderer renderer = (BarRenderer) chart.getCategoryPlot().getRenderer();
    renderer.setSeriesPaint(0, PALETTE[0]);
    renderer.setSeriesPaint(1, PALETTE[3]);
    ((NumberAxis) chart.getCategoryPlot().getRangeAxis()).setRange(Math.min(0, minimum(rows)), 1);
    return chart;
  }

  private static double minimum(List<CompareResult.Stability> rows) {
    return rows.stream()
        .map(CompareResult.Stability::kendallTau)
        .filter(Cells::defined)
        .mapToDouble(Double::doubleValue)
        .min()
        .orElse(0);
  }

  private static void styleBars(JFreeChart chart) {
    CategoryPlot plot = chart.getCategoryPlot();
    plot.setNoDataMessage(NO_DATA);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    BarRenderer renderer = (BarRenderer) plot.getRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setItemMargin(0.05);
  }

  /**
   * Median scoring time against layer width, log-log: every scorer when there are at most {@link
   * #MAX_COLOURED_LINES}, otherwise the {@link #SLOWEST_COSTS} slowest at the largest width and the
   * median over all scorers.
   */
  private static JFreeChart cost(List<CompareResult.ScoringCost> costs) {
    Map<String, XYSeries> byScorer = new TreeMap<>();
    TreeMap<Integer, List<Double>> byWidth = new TreeMap<>();
    for (CompareResult.ScoringCost c : costs) {
      addFinite(
          byScorer.computeIfAbsent(c.scorer(), XYSeries::new),
          c.width(),
          positive(c.medianMillis()));
      byWidth.computeIfAbsent(c.width(), w -> new ArrayList<>()).add(c.medianMillis());
    }
    XYSeriesCollection data = new XYSeriesCollection();
    if (byScorer.size() <= MAX_COLOURED_LINES) {
      byScorer.values().forEach(data::addSeries);
    } else {
      int widest = byWidth.lastKey();
      Set<String> slowest =
          new TreeSet<>(
              costs.stream()
                  .filter(c -> c.width() == widest)
                  .sorted(
                      Comparator.comparingDouble(CompareResult.ScoringCost::medianMillis)
                          .reversed())
                  .limit(SLOWEST_COSTS)
                  .map(CompareResult.ScoringCost::scorer)
                  .toList());
      slowest.forEach(s -> data.addSeries(byScorer.get(s)));
      XYSeries median = new XYSeries("median of all " + byScorer.size() + " scorers");
      byWidth.forEach(
          (w, ms) ->
              addFinite(
                  median,
                  w,
                  positive(Stats.median(ms.stream().mapToDouble(Double::doubleValue).toArray()))));
      data.addSeries(median);
    }
    JFreeChart chart =
        lines(
            "Time to compute a score from one layer's evidence",
            "layer width (neurons, log)",
            "median milliseconds (log)",
            data,
            true,
            true);
    XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) chart.getXYPlot().getRenderer();
    for (int i = 0; i < data.getSeriesCount(); i++) {
      renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    return chart;
  }

  /** Perplexity against the pruned percentage per progressive stage and fusion. */
  private static JFreeChart progressive(CompareResult r) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (CompareResult.Progressive p : r.progressive()) {
      XYSeries s = new XYSeries(p.stage() + " / " + p.fusion());
      for (int c = 0; c < Math.min(p.perplexity().size(), r.fractions().size()); c++) {
        addFinite(s, r.fractions().get(c) * 100, p.perplexity().get(c));
      }
      data.addSeries(s);
    }
    JFreeChart chart =
        lines(
            "Progressive validation: perplexity by stage and fusion (no fine-tune)",
            "pruned (% of hidden neurons)",
            "validation perplexity (log scale)",
            data,
            true,
            false);
    XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) chart.getXYPlot().getRenderer();
    for (int i = 0; i < data.getSeriesCount(); i++) {
      renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    return chart;
  }

  /**
   * A white line chart with shapes at the points and a log y axis (and log x when {@code logX}).
   */
  private static JFreeChart lines(
      String title, String x, String y, XYSeriesCollection data, boolean logY, boolean logX) {
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title, x, y, data, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    plot.setNoDataMessage(NO_DATA);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.setRenderer(new XYLineAndShapeRenderer(true, true));
    if (logY) {
      plot.setRangeAxis(new RoundLogAxis(y));
    }
    if (logX) {
      plot.setDomainAxis(new RoundLogAxis(x));
    } else {
      NumberAxis axis = (NumberAxis) plot.getDomainAxis();
      axis.setAutoRangeIncludesZero(false);
      axis.setTickUnit(new NumberTickUnit(10));
    }
    return chart;
  }

  /** Adds the point when {@code y} is a finite number (log axes and lines skip the rest). */
  private static void addFinite(XYSeries series, double x, Double y) {
    if (y != null && Double.isFinite(y)) {
      series.add(x, y);
    }
  }

  /** {@code ms} when positive, else {@code null}: a log axis cannot show zero. */
  private static Double positive(double ms) {
    return ms > 0 ? ms : null;
  }
}
