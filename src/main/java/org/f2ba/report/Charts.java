package org.f2ba.report;

import java.awt.Color;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws {@link Figure}s as PNG images with XChart. */
public final class Charts {
  static final int WIDTH = 640;
  static final int HEIGHT = 420;
  /** From low to high values of an image: viridis, dark violet through teal to yellow. */
  private static final Color[] VIRIDIS = {new Color(68, 1, 84), new Color(59, 82, 139),
      new Color(33, 145, 140), new Color(94, 201, 98), new Color(253, 231, 37)};

  private Charts() {
  }

  /** The PNG of {@code figure}. */
  public static byte[] png(Figure figure) throws IOException {
    Chart<?, ?> chart;
    if (figure instanceof Figure.Lines lines) {
      chart = lines(lines);
    } else if (figure instanceof Figure.Histogram histogram) {
      chart = histogram(histogram);
    } else if (figure instanceof Figure.Bars bars) {
      chart = bars(bars);
    } else {
      chart = image((Figure.Image) figure);
    }
    return BitmapEncoder.getBitmapBytes(chart, BitmapFormat.PNG);
  }

  /** Whether {@code lines} has a point to draw (finite, and positive on a log axis). */
  public static boolean drawable(Figure.Lines lines) {
    return lines.series().stream().anyMatch(s -> points(s, lines.logY()).length > 0);
  }

  /**
   * The curves; a logarithmic y axis only where the values span two decades or more (XChart
   * labels a log axis at powers of ten only).
   */
  private static XYChart lines(Figure.Lines figure) {
    double[] positive = figure.series().stream().flatMapToDouble(s -> Arrays.stream(
        pick(s.y(), points(s, true)))).toArray();
    boolean logY = figure.logY() && Arrays.stream(positive).max().orElse(1)
        >= 100 * Arrays.stream(positive).min().orElse(1);
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(figure.title())
        .xAxisTitle(figure.xLabel()).yAxisTitle(figure.yLabel() + (logY ? " (log scale)" : ""))
        .build();
    chart.getStyler().setYAxisLogarithmic(logY);
    chart.getStyler().setLegendPosition(LegendPosition.InsideNE).setMarkerSize(4);
    if (figure.series().stream().allMatch(s -> Arrays.stream(s.x()).allMatch(
        v -> v == Math.rint(v)))) {
      // Iterations, from 0: XChart ticks whole numbers at every one where it has room, so
      // label about ten of them
      double last = figure.series().stream().flatMapToDouble(s -> Arrays.stream(s.x()))
          .max().orElse(1);
      double step = niceStep(last / 10);
      chart.getStyler().setXAxisMin(0.0).setxAxisTickLabelsFormattingFunction(
          v -> v % step == 0 ? String.valueOf(v.longValue()) : " ");
    }
    for (Figure.Series s : figure.series()) {
      int[] kept = points(s, logY);
      if (kept.length > 0) {
        XYSeries series = chart.addSeries(s.name(), pick(s.x(), kept), pick(s.y(), kept));
        if (kept.length > 60) {
          series.setMarker(SeriesMarkers.NONE);
        }
      }
    }
    return chart;
  }

  /** The indices of the points of {@code s} that an axis can show. */
  private static int[] points(Figure.Series s, boolean logY) {
    return IntStream.range(0, s.x().length).filter(i -> Double.isFinite(s.x()[i])
        && Double.isFinite(s.y()[i]) && (!logY || s.y()[i] > 0)).toArray();
  }

  private static double[] pick(double[] values, int[] indices) {
    return Arrays.stream(indices).mapToDouble(i -> values[i]).toArray();
  }

  /** Each group as a step curve of its share of rows per bin, so that groups compare. */
  private static XYChart histogram(Figure.Histogram figure) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(figure.title())
        .xAxisTitle(figure.xLabel()).yAxisTitle("share of the group's rows").build();
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.StepArea)
        .setLegendPosition(LegendPosition.InsideN).setMarkerSize(0);
    figure.counts().forEach((group, counts) -> {
      int bins = counts.length;
      long total = Arrays.stream(counts).sum();
      double[] edges = new double[bins + 1];
      double[] shares = new double[bins + 1];
      for (int b = 0; b <= bins; b++) {
        edges[b] = figure.low() + (figure.high() - figure.low()) * b / bins;
        shares[b] = total == 0 ? 0 : (double) counts[Math.min(b, bins - 1)] / total;
      }
      chart.addSeries(group + " (" + total + " rows)", edges, shares)
          .setMarker(SeriesMarkers.NONE);
    });
    return chart;
  }

  private static CategoryChart bars(Figure.Bars figure) {
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
        .title(figure.title()).xAxisTitle(figure.xLabel()).yAxisTitle(figure.yLabel()).build();
    chart.getStyler().setXAxisLabelRotation(figure.labels().size() > 12 ? 90 : 0);
    chart.getStyler().setLegendVisible(false);
    chart.addSeries("values", figure.labels(),
        Arrays.stream(figure.values()).boxed().toList());
    return chart;
  }

  private static HeatMapChart image(Figure.Image figure) {
    int w = figure.width();
    int h = figure.height();
    HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT + 60)
        .title(figure.title()).build();
    double[] finite = Arrays.stream(figure.values()).filter(Double::isFinite).toArray();
    // The scale's ends to three digits, outward: its legend prints them as they are.
    double min = threeDigits(Arrays.stream(finite).min().orElse(0), RoundingMode.FLOOR);
    double max = threeDigits(Arrays.stream(finite).max().orElse(1), RoundingMode.CEILING);
    chart.getStyler().setRangeColors(VIRIDIS).setMin(min).setMax(max > min ? max : min + 1)
        .setLegendPosition(LegendPosition.OutsideE).setAxisTicksVisible(false)
        .setPlotGridLinesVisible(false);
    List<Number[]> cells = new ArrayList<>(w * h);
    for (int r = 0; r < h; r++) {
      for (int c = 0; c < w; c++) {
        cells.add(new Number[] {c, h - 1 - r, figure.values()[r * w + c]});
      }
    }
    chart.addSeries(figure.scaleLabel(), IntStream.range(0, w).boxed().toList(),
        IntStream.range(0, h).boxed().toList(), cells);
    return chart;
  }

  /** The least of 1, 2, 5, 10, 20, 50, ... that is at least {@code atLeast}. */
  private static double niceStep(double atLeast) {
    double step = 1;
    while (step < atLeast) {
      step *= String.valueOf((long) step).charAt(0) == '2' ? 2.5 : 2;
    }
    return step;
  }

  private static double threeDigits(double value, RoundingMode direction) {
    return new BigDecimal(value).round(new MathContext(3, direction)).doubleValue();
  }
}
