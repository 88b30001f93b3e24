package org.f2ba.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one plot of a run's report shows, as data: {@link Charts} draws it. Each has a file
 * name (a PNG beside report.html), a title and a caption saying how to read it.
 */
public sealed interface Figure {
  /** The PNG's name, without directory. */
  String file();

  String title();

  String caption();

  /** A named curve of y against x; NaN points are left out. */
  record Series(String name, double[] x, double[] y) {
  }

  /**
   * Curves on shared axes; y on a logarithmic axis where {@code logY} and the values span two
   * decades (points at or below zero are then left out).
   */
  record Lines(String file, String title, String caption, String xLabel, String yLabel,
      boolean logY, List<Series> series) implements Figure {
  }

  /**
   * Histograms of several groups of values over the same bins: {@code counts} per group, one
   * count per bin of equal width from {@code low} to {@code high}.
   */
  record Histogram(String file, String title, String caption, String xLabel, double low,
      double high, Map<String, long[]> counts) implements Figure {

    /**
     * The histogram of {@code values} (one array per group) in {@code bins} bins over [low,
     * high]; values outside fall into the first or last bin.
     */
    public static Histogram of(String file, String title, String caption, String xLabel,
        double low, double high, int bins, Map<String, double[]> values) {
      Map<String, long[]> counts = new LinkedHashMap<>();
      values.forEach((group, v) -> {
        long[] c = new long[bins];
        for (double value : v) {
          int bin = (int) Math.floor((value - low) / (high - low) * bins);
          c[Math.max(0, Math.min(bins - 1, bin))]++;
        }
        counts.put(group, c);
      });
      return new Histogram(file, title, caption, xLabel, low, high, counts);
    }
  }

  /** One bar a label. */
  record Bars(String file, String title, String caption, String xLabel, String yLabel,
      List<String> labels, double[] values) implements Figure {
  }

  /**
   * Values on a {@code width} × {@code height} grid (row-major, row 0 at the top), as colors
   * with a scale named {@code scaleLabel}.
   */
  record Image(String file, String title, String caption, String scaleLabel, int width,
      int height, double[] values) implements Figure {
  }
}
