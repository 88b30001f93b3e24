package org.f2ba.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** A report's page and plots, from metrics rows, a summary and figures of x. */
class RunReportTest {
  private static final List<String> COLUMNS = List.of("iter", "wall_s", "hypergrad_norm_est",
      "val_loss", "val_acc", "test_loss", "test_acc", "weight_f1");

  /** Rows as a run writes them: no estimate at the start, no test scores at all. */
  private static List<List<String>> rows(int n) {
    List<List<String>> rows = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      rows.add(List.of(String.valueOf(t), String.valueOf(0.5 * t), t == 0 ? ""
          : String.valueOf(1.0 / t), String.valueOf(2.0 / (t + 1)), String.valueOf(0.1 * t),
          "NaN", "NaN", String.valueOf(0.05 * t)));
    }
    return rows;
  }

  private static Map<String, Object> summary() {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("experiment", "data hyper-cleaning");
    summary.put("solver", "f2ba");
    summary.put("initial", Map.of("val_loss", 2.0, "test_loss", Double.NaN));
    summary.put("final", Map.of("val_loss", 0.25, "test_loss", Double.NaN));
    summary.put("outer_iters", 7);
    summary.put("config", "conf/a<b>.conf");
    return summary;
  }

  private static Map<String, byte[]> files(List<Figure> xFigures) throws Exception {
    return new RunReport(COLUMNS, rows(8), summary(), List.of("weight_f1"), xFigures).files();
  }

  @Test
  void plotsEveryMeasuredMetricByIterationAndTimeAndNothingUnmeasured() throws Exception {
    Map<String, byte[]> files = files(List.of());
    assertEquals(List.of("loss-by-iteration.png", "loss-by-time.png",
        "accuracy-by-iteration.png", "accuracy-by-time.png", "hypergradient-by-iteration.png",
        "hypergradient-by-time.png", "x-metrics-by-iteration.png", "x-metrics-by-time.png",
        RunReport.PAGE), List.copyOf(files.keySet()));
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      if (file.getKey().endsWith(".png")) {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(file.getValue()));
        assertEquals(Charts.WIDTH, image.getWidth(), file.getKey());
        assertEquals(Charts.HEIGHT, image.getHeight(), file.getKey());
      }
    }
    List<Figure> loss = new RunReport(COLUMNS, rows(8), summary(), List.of(), List.of())
        .progressFigures();
    Figure.Lines byIteration = (Figure.Lines) loss.get(0);
    // test_loss is a column, but never measured
    assertEquals(List.of("validation"), byIteration.series().stream()
        .map(Figure.Series::name).toList());
    assertEquals(1.0, byIteration.series().get(0).y()[1]);
  }

  @Test
  void thePageShowsEveryPlotAndFigureTheSummaryAndEscapesText() throws Exception {
    Figure bars = new Figure.Bars("strengths.png", "Learned strengths", "one a class",
        "class", "log10 strength", List.of("0", "1", "2"), new double[] {-1, -2, -0.5});
    Figure image = new Figure.Image("pixels.png", "Pixels", "", "log10 strength", 4, 3,
        new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
    Figure histogram = Figure.Histogram.of("weights.png", "Weights", "", "weight", 0, 1, 10,
        Map.of("clean rows", new double[] {0.9, 0.95, 1.0}, "corrupted rows",
            new double[] {0.0, 0.05, -3}));
    Map<String, byte[]> files = files(List.of(bars, image, histogram));
    String page = new String(files.get(RunReport.PAGE), StandardCharsets.UTF_8);
    List<String> shown = new ArrayList<>();
    Matcher img = Pattern.compile("<img src=\"([^\"]+)\"").matcher(page);
    while (img.find()) {
      shown.add(img.group(1));
    }
    List<String> pngs = files.keySet().stream().filter(f -> f.endsWith(".png")).toList();
    assertEquals(pngs, shown);
    assertTrue(page.contains("<td>outer_iters</td><td class=\"n\">7</td>"), page);
    assertTrue(page.contains("conf/a&lt;b&gt;.conf") && !page.contains("a<b>"), page);
    assertTrue(page.contains("<figcaption>one a class</figcaption>"), page);
    // the scores table leaves out what the run never measured (test_loss NaN)
    assertTrue(page.contains("<td>val_loss</td><td class=\"n\">2.000</td>"
        + "<td class=\"n\">0.2500</td>"), page);
    assertFalse(page.contains("<td>test_loss</td><td class=\"n\">"), page);
    assertTrue(page.contains("<td>initial.val_loss</td>"), page);
  }

  @Test
  void degenerateDataStillDraw() throws Exception {
    // one outer iteration (a single estimate), constant values, an empty group, equal strengths
    List<List<String>> rows = List.of(List.of("0", "0.0", "", "1", "0.5", "NaN", "NaN", "0"),
        List.of("1", "0.0", "0", "1", "0.5", "NaN", "NaN", "0"));
    Map<String, byte[]> files = new RunReport(COLUMNS, rows, summary(), List.of("weight_f1"),
        List.of(new Figure.Image("i.png", "", "", "v", 2, 1, new double[] {3, 3}),
            Figure.Histogram.of("h.png", "", "", "", 0, 1, 5, Map.of("none", new double[0])),
            new Figure.Bars("b.png", "", "", "", "", List.of("all"), new double[] {-2})))
        .files();
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      if (file.getKey().endsWith(".png")) {
        assertTrue(ImageIO.read(new ByteArrayInputStream(file.getValue())) != null,
            file.getKey());
      }
    }
    // the estimate is 0 on a log axis: nothing to draw there, so no such plot
    assertFalse(files.containsKey("hypergradient-by-iteration.png"));
  }

  @Test
  void anImageHasItsFirstRowAtTheTop() throws Exception {
    // two rows: the top one low (dark in viridis), the bottom one high (bright yellow)
    Figure image = new Figure.Image("i.png", "", "", "value", 2, 2, new double[] {0, 0, 1, 1});
    BufferedImage png = ImageIO.read(new ByteArrayInputStream(Charts.png(image)));
    assertTrue(brightness(png, 120, 180) < 100, "top " + brightness(png, 120, 180));
    assertTrue(brightness(png, 320, 380) > 150, "bottom " + brightness(png, 320, 380));
  }

  /** The mean of R, G and B over rows [from, to) in the middle of the plot. */
  private static double brightness(BufferedImage png, int from, int to) {
    double sum = 0;
    int n = 0;
    for (int y = from; y < to; y++) {
      for (int x = 150; x < 350; x++) {
        int rgb = png.getRGB(x, y);
        sum += ((rgb >> 16 & 255) + (rgb >> 8 & 255) + (rgb & 255)) / 3.0;
        n++;
      }
    }
    return sum / n;
  }

  @Test
  void aHistogramCountsEachGroupInItsBinsAndClampsTheRest() {
    Figure.Histogram h = Figure.Histogram.of("h.png", "", "", "", 0, 1, 4,
        Map.of("a", new double[] {0, 0.24, 0.25, 0.99, 1.0, 7, -1}));
    assertEquals(List.of(3L, 1L, 0L, 3L), java.util.Arrays.stream(h.counts().get("a")).boxed()
        .toList());
  }
}
