package io.prunewire.evaluation.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.annotations.XYTitleAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A run's story as one PNG of three plots over the training step: training loss and validation
 * perplexity with every decision marked, kept neurons per layer and type, and the fusion weights of
 * the {@value #TOP_CRITERIA} criteria with the largest weight.
 */
public final class RunCharts {

  /** Criteria drawn in the weights plot, by their largest weight over the run. */
  static final int TOP_CRITERIA = 8;

  private static final int WIDTH = 1000;
  private static final int HEIGHT = 1100;
  private static final Color DECISION = new Color(0xd62728);
  private static final Color[] PALETTE = {
    new Color(0x1f77b4),
    new Color(0xff7f0e),
    new Color(0x2ca02c),
    new Color(0x9467bd),
    new Color(0x8c564b),
    new Color(0xe377c2),
    new Color(0x17becf),
    new Color(0xbcbd22),
    new Color(0x7f7f7f),
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

  private RunCharts() {}

  /** Writes the story's PNG to {@code file}, creating its directory. */
  public static void write(RunStory story, Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    ChartUtils.saveChartAsPNG(file.toFile(), chart(story), WIDTH, HEIGHT);
  }

  static JFreeChart chart(RunStory story) {
    NumberAxis step = new NumberAxis("training step");
    step.setAutoRangeIncludesZero(true);
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(step);
    plot.setGap(12);
    plot.add(model(story), 3);
    plot.add(lines(story.keptNeurons(), "neurons kept", story.decisionSteps()), 2);
    plot.add(weights(story), 2);
    // one legend inside each plot: a single legend under three plots would not say which line is
    // where
    JFreeChart chart =
        new JFreeChart("Run " + story.run(), JFreeChart.DEFAULT_TITLE_FONT, plot, false);
    chart.addSubtitle(
        new TextTitle(
            "from "
                + story.source()
                + "; red lines: decisions ("
                + story.decisionSteps().size()
                + ")",
            new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  /**
   * Training loss (left axis) and validation perplexity (right; points: one per evaluation) with
   * the decisions marked.
   */
  private static XYPlot model(RunStory story) {
    XYPlot plot = new XYPlot();
    plot.setDataset(0, collection("training loss (nats/token)", story.trainingLoss()));
    NumberAxis loss = new NumberAxis("training loss");
    loss.setAutoRangeIncludesZero(false);
    plot.setRangeAxis(0, loss);
    XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
    line.setSeriesPaint(0, PALETTE[0]);
    line.setSeriesStroke(0, new BasicStroke(2f));
    plot.setRenderer(0, line);
    if (!story.validationPerplexity().isEmpty()) {
      plot.setDataset(1, collection("validation perplexity", story.validationPerplexity()));
      NumberAxis perplexity = new NumberAxis("validation perplexity");
      perplexity.setAutoRangeIncludesZero(false);
      plot.setRangeAxis(1, perplexity);
      plot.mapDatasetToRangeAxis(1, 1);
      XYLineAndShapeRenderer points = new XYLineAndShapeRenderer(false, true);
      points.setSeriesPaint(0, PALETTE[1]);
      points.setSeriesShape(0, new Ellipse2D.Double(-5, -5, 10, 10));
      plot.setRenderer(1, points);
    }
    if (story.trainingLoss().isEmpty() && story.validationPerplexity().isEmpty()) {
      plot.setDataset(0, null);
      XYTextAnnotation note =
          new XYTextAnnotation(
              "loss and perplexity come from the trainers' /metrics:"
                  + " run with --prometheus URL",
              0,
              0.5);
      note.setTextAnchor(TextAnchor.CENTER_LEFT);
      plot.addAnnotation(note);
      loss.setRange(0, 1);
    }
    mark(plot, story.decisionSteps());
    style(plot);
    legend(plot);
    return plot;
  }

  private static XYPlot weights(RunStory story) {
    Map<String, List<RunStory.Point>> top = new java.util.TreeMap<>();
    story.fusionWeights().entrySet().stream()
        .filter(e -> max(e.getValue()) > 0)
        .sorted(
            Comparator.comparingDouble(
                    (Map.Entry<String, List<RunStory.Point>> e) -> -max(e.getValue()))
                .thenComparing(Map.Entry::getKey))
        .limit(TOP_CRITERIA)
        .forEach(e -> top.put(e.getKey(), e.getValue()));
    String label =
        story.fusionWeights().size() > TOP_CRITERIA
            ? "fusion weight (top " + TOP_CRITERIA + " of " + story.fusionWeights().size() + ")"
            : "fusion weight";
    return lines(top, label, story.decisionSteps());
  }

  /** One step line per series (values hold until the next decision). */
  private static XYPlot lines(
      Map<String, List<RunStory.Point>> series, String axis, List<Long> decisions) {
    XYSeriesCollection data = new XYSeriesCollection();
    series.forEach((name, points) -> data.addSeries(series(name, points)));
    NumberAxis range = new NumberAxis(axis);
    XYStepRenderer renderer = new XYStepRenderer();
    for (int i = 0; i < series.size(); i++) {
      renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    XYPlot plot = new XYPlot(data, null, range, renderer);
    mark(plot, decisions);
    style(plot);
    legend(plot);
    return plot;
  }

  private static void legend(XYPlot plot) {
    if (plot.getLegendItems().getItemCount() == 0) {
      return;
    }
    LegendTitle legend = new LegendTitle(plot);
    legend.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    legend.setBackgroundPaint(new Color(255, 255, 255, 210));
    legend.setFrame(new BlockBorder(new Color(0xbbbbbb)));
    legend.setPosition(RectangleEdge.RIGHT);
    plot.addAnnotation(new XYTitleAnnotation(0.995, 0.5, legend, RectangleAnchor.RIGHT));
  }

  private static void mark(XYPlot plot, List<Long> decisions) {
    for (long d : decisions) {
      ValueMarker marker =
          new ValueMarker(
              d,
              DECISION,
              new BasicStroke(
                  1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {4f, 3f}, 0f));
      marker.setLabel("step " + d);
      marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
      marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
      marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
      plot.addDomainMarker(marker);
    }
  }

  private static void style(XYPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xdddddd));
    plot.setRangeGridlinePaint(new Color(0xdddddd));
  }

  private static XYSeriesCollection collection(String name, List<RunStory.Point> points) {
    return new XYSeriesCollection(series(name, points));
  }

  private static XYSeries series(String name, List<RunStory.Point> points) {
    XYSeries s = new XYSeries(name, true, true);
    points.forEach(p -> s.add(p.step(), p.value()));
    return s;
  }

  private static double max(List<RunStory.Point> points) {
    return points.stream().mapToDouble(RunStory.Point::value).max().orElse(0);
  }
}
