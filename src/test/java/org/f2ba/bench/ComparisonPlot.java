package org.f2ba.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A PNG of one line per solver: y against x, on linear axes. The y range runs from the lowest
 * value to the highest starting value, so that an early excursion of one solver does not flatten
 * the others (it is clipped at the top).
 */
final class ComparisonPlot {
  private static final Color[] COLORS = {new Color(31, 119, 180), new Color(255, 127, 14),
      new Color(44, 160, 44), new Color(214, 39, 40), new Color(148, 103, 189),
      new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127)};

  private ComparisonPlot() {
  }

  /** Writes the plot of {@code curves} (per name: {x values, y values}) to {@code file}. */
  static void write(Path file, String title, String xLabel, String yLabel,
      Map<String, double[][]> curves) throws Exception {
    int w = 900;
    int h = 600;
    int left = 80;
    int right = 190;
    int top = 40;
    int bottom = 60;
    double maxX = 0;
    double minY = Double.POSITIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    // The y range: from the lowest value to the highest first or last value of a curve, so
    // that a spike of a diverging run does not flatten the others. NaN (not logged) is skipped.
    for (double[][] xy : curves.values()) {
      maxX = Math.max(maxX, xy[0][xy[0].length - 1]);
      double[] finite = Arrays.stream(xy[1]).filter(Double::isFinite).toArray();
      if (finite.length > 0) {
        maxY = Math.max(maxY, Math.max(finite[0], finite[finite.length - 1]));
        minY = Math.min(minY, Arrays.stream(finite).min().getAsDouble());
      }
    }
    if (!Double.isFinite(minY)) {
      minY = 0;
    }
    if (!(maxY > minY)) {
      maxY = minY + 1;
    }
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    int plotW = w - left - right;
    int plotH = h - top - bottom;
    g.drawRect(left, top, plotW, plotH);
    g.drawString(title, left, top - 15);
    g.drawString(xLabel, left + plotW / 2 - 60, h - 20);
    g.drawString("y: " + yLabel, left + plotW + 15, top + plotH);
    for (int t = 0; t <= 4; t++) {
      int px = left + plotW * t / 4;
      int py = top + plotH - plotH * t / 4;
      g.drawString(String.format("%.3g", maxX * t / 4), px - 15, top + plotH + 18);
      g.drawString(String.format("%.3g", minY + (maxY - minY) * t / 4), left - 55, py + 5);
    }
    int c = 0;
    for (Map.Entry<String, double[][]> curve : curves.entrySet()) {
      double[][] xy = curve.getValue();
      int[] xs = new int[xy[0].length];
      int[] ys = new int[xy[0].length];
      int points = 0;
      for (int i = 0; i < xy[0].length; i++) {
        if (!Double.isFinite(xy[1][i])) {
          continue;
        }
        xs[points] = left + (int) (maxX > 0 ? xy[0][i] / maxX * plotW : 0);
        double y = Math.min(maxY, xy[1][i]);
        ys[points++] = top + plotH - (int) ((y - minY) / (maxY - minY) * plotH);
      }
      g.setColor(COLORS[c % COLORS.length]);
      g.setStroke(new BasicStroke(2));
      g.drawPolyline(xs, ys, points);
      g.drawString(curve.getKey(), left + plotW + 15, top + 20 + 20 * c);
      c++;
    }
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }
}
