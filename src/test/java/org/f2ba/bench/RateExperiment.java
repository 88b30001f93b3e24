package org.f2ba.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.f2ba.data.RangeRows;
import org.f2ba.app.Experiment;
import org.f2ba.app.Experiments;
import org.f2ba.app.RunConfig;
import org.f2ba.engine.BatchSizes;
import org.f2ba.engine.LocalEngine;
import org.f2ba.engine.Sharding;
import org.f2ba.problem.Arithmetic;
import org.f2ba.solver.BilevelOracle;
import org.f2ba.solver.DeltaSchedule;
import org.f2ba.solver.F2ba;
import org.f2ba.solver.F2baParameters;
import org.f2ba.solver.OuterState;
import org.f2ba.solver.Vectors;

/**
 * Measured oracle complexity on the synthetic nonconvex-PL family (not a test): for the
 * deterministic, partially stochastic (noise in ∇f only, as Theorem 4.2 has it) and fully
 * stochastic settings, and several ε and seeds, counts first-order oracle calls until
 * E‖∇φ(x_t)‖ ≤ ε (the mean over seeds of the true ‖∇φ(x_t)‖), with the parameters scaled in ε as
 * Theorems 4.1-4.2 set them: σ = c_σ ε, B_f = c_Bf M_f²/ε², B_g = c_Bg M_g²/(σ²ε²), K_t by
 * Eq. 8-9. Fits the log-log slope of calls
 * against ε and writes docs/rates/rates.{md,json,png}. Run it with submit-scripts/rates.sh.
 */
public final class RateExperiment {
  private static final double[] EPSILONS = {0.4, 0.3, 0.2, 0.15, 0.1};
  private static final long[] SEEDS = {1, 2, 3, 4, 5};
  private static final int MAX_OUTER = 3000;
  private static final double C_SIGMA = 0.1;
  private static final double C_BATCH_UPPER = 0.5;
  private static final double C_BATCH_LOWER = 0.01;
  private static final double NOISE_STD = 0.2; // per coordinate of ζ ∈ R^25: M = 0.2·√25 = 1
  private static final double M = NOISE_STD * 5;

  private record Setting(String name, boolean noisyUpper, boolean noisyLower, double bound) {
  }

  private static final List<Setting> SETTINGS = List.of(
      new Setting("deterministic", false, false, -2),
      new Setting("partially stochastic (noise in ∇f)", true, false, -4),
      new Setting("fully stochastic", true, true, -6));

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "docs/rates");
    Files.createDirectories(out);
    Map<String, Object> report = new LinkedHashMap<>();
    List<Map<String, Object>> rows = new ArrayList<>();
    Map<String, double[][]> callsBySetting = new LinkedHashMap<>();
    Map<String, double[]> meansBySetting = new LinkedHashMap<>();
    for (Setting setting : SETTINGS) {
      double[][] calls = new double[SEEDS.length][EPSILONS.length];
      double[] mean = new double[EPSILONS.length];
      for (int e = 0; e < EPSILONS.length; e++) {
        double[][] reached = callsToReach(setting, EPSILONS[e]);
        mean[e] = reached[0][0];
        for (int s = 0; s < SEEDS.length; s++) {
          calls[s][e] = reached[1][s];
        }
        System.out.printf("%s, ε = %.2f: %.4g oracle calls until E‖∇φ‖ ≤ ε%n", setting.name(),
            EPSILONS[e], mean[e]);
      }
      callsBySetting.put(setting.name(), calls);
      meansBySetting.put(setting.name(), mean);
      double[] slopes = new double[SEEDS.length];
      for (int s = 0; s < SEEDS.length; s++) {
        slopes[s] = slope(calls[s]);
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("setting", setting.name());
      row.put("theorem_slope", setting.bound());
      row.put("slope_of_mean_calls", slope(mean));
      row.put("slope_per_seed", slopes);
      row.put("epsilons", EPSILONS);
      row.put("mean_calls", mean);
      rows.add(row);
    }
    report.put("family", "pl-synthetic: dim x 5, dim y 20, 4 directions, lambda 0.5");
    report.put("parameters", "eta 0.5, sigma = " + C_SIGMA + " eps, tau = 1/(sigma + 8), "
        + "B_f = ceil(" + C_BATCH_UPPER + " M^2/eps^2), B_g = ceil(" + C_BATCH_LOWER
        + " M^2/(sigma^2 eps^2)), M = " + M + ", K_t by Eq. 8-9 (L_g 8, mu 0.5, delta0 1,"
        + " c_K 0.5), stop when the true ||grad phi(x_t)|| <= eps");
    report.put("settings", rows);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(out.resolve("rates.json").toFile(), report);
    Files.writeString(out.resolve("rates.md"), markdown(rows));
    plot(callsBySetting, meansBySetting, out.resolve("rates.png"));
  }

  /**
   * Runs one solver per seed in lockstep. Returns, per seed, the mean oracle calls at the first
   * outer iteration where the mean over seeds of ‖∇φ(x_t)‖ is at most ε (the estimate of
   * E‖∇φ(x_t)‖ ≤ ε; the same value for every seed) in row 0, and in row 1 each seed's calls at
   * its own first iteration where ‖∇φ‖ averaged over its last 5 iterates is at most ε.
   */
  private static double[][] callsToReach(Setting setting, double eps) {
    double sigma = C_SIGMA * eps;
    int batchUpper = setting.noisyUpper()
        ? (int) Math.ceil(C_BATCH_UPPER * M * M / (eps * eps)) : 0;
    int batchLower = setting.noisyLower()
        ? (int) Math.ceil(C_BATCH_LOWER * M * M / (sigma * sigma * eps * eps)) : 0;
    int samples = Math.max(1000, 4 * Math.max(batchUpper, batchLower));
    int n = SEEDS.length;
    F2ba[] solvers = new F2ba[n];
    Experiment[] experiments = new Experiment[n];
    LocalEngine[] engines = new LocalEngine[n];
    for (int k = 0; k < n; k++) {
      List<String> keys = List.of("problem=pl-synthetic", "seed=" + SEEDS[k],
          "examples.x0=1.0",
          "pl-synthetic.samples=" + (batchUpper + batchLower > 0 ? samples : 0),
          "pl-synthetic.noise-upper=" + (setting.noisyUpper() ? NOISE_STD : 0),
          "pl-synthetic.noise-lower=" + (setting.noisyLower() ? NOISE_STD : 0));
      experiments[k] = Experiments.fromConfig(RunConfig.load(null, keys));
      engines[k] = new LocalEngine(experiments[k].problem(),
          Sharding.split(experiments[k].dataOf(RangeRows.class), 2, 4096));
      BilevelOracle oracle = new BilevelOracle(experiments[k].problem(), engines[k],
          new BatchSizes(batchUpper, batchLower), SEEDS[k], Arithmetic.DEFAULT);
      solvers[k] = new F2ba(oracle, new F2baParameters(0.5, 1 / (sigma + 8), sigma, false, 0),
          new DeltaSchedule(8, 0.5, sigma, eps, 1, 0.5, 1), experiments[k].x0(),
          experiments[k].y0());
    }
    double[] mean = {Double.NaN};
    double[] own = new double[n];
    java.util.Arrays.fill(own, Double.NaN);
    double[][] window = new double[n][5];
    for (int t = 0; t < MAX_OUTER && (Double.isNaN(mean[0]) || hasNaN(own)); t++) {
      double normSum = 0;
      double callSum = 0;
      for (int k = 0; k < n; k++) {
        OuterState state = solvers[k].next();
        double norm = Vectors.norm(experiments[k].hypergradient().apply(state.x()));
        normSum += norm;
        callSum += state.oracleCalls();
        window[k][t % 5] = norm;
        if (t >= 4 && Double.isNaN(own[k]) && average(window[k]) <= eps) {
          own[k] = state.oracleCalls();
        }
      }
      if (Double.isNaN(mean[0]) && normSum / n <= eps) {
        mean[0] = callSum / n;
      }
    }
    for (LocalEngine engine : engines) {
      engine.close();
    }
    double[] meanRow = new double[n];
    java.util.Arrays.fill(meanRow, mean[0]);
    return new double[][] {meanRow, own};
  }

  private static boolean hasNaN(double[] v) {
    for (double d : v) {
      if (Double.isNaN(d)) {
        return true;
      }
    }
    return false;
  }

  private static double average(double[] v) {
    double s = 0;
    for (double d : v) {
      s += d;
    }
    return s / v.length;
  }

  /** Least-squares slope of log(calls) against log(ε). */
  private static double slope(double[] calls) {
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    int n = 0;
    for (int e = 0; e < EPSILONS.length; e++) {
      if (Double.isFinite(calls[e])) {
        double lx = Math.log(EPSILONS[e]);
        double ly = Math.log(calls[e]);
        sx += lx;
        sy += ly;
        sxx += lx * lx;
        sxy += lx * ly;
        n++;
      }
    }
    return (n * sxy - sx * sy) / (n * sxx - sx * sx);
  }

  private static String markdown(List<Map<String, Object>> rows) {
    StringBuilder md = new StringBuilder("| setting | theorem's slope (up to logs) | measured"
        + " slope, E‖∇φ‖ ≤ ε | per-seed slopes (own 5-iterate average ≤ ε) |");
    for (double e : EPSILONS) {
      md.append(String.format(" calls to E‖∇φ‖ ≤ %.2f |", e));
    }
    md.append("\n| --- | ---: | ---: | --- |").append(" ---: |".repeat(EPSILONS.length))
        .append('\n');
    for (Map<String, Object> row : rows) {
      double[] perSeed = (double[]) row.get("slope_per_seed");
      StringBuilder seeds = new StringBuilder();
      for (double s : perSeed) {
        seeds.append(seeds.length() == 0 ? "" : ", ").append(String.format("%.2f", s));
      }
      md.append(String.format("| %s | %.0f | %.2f | %s |", row.get("setting"),
          (Double) row.get("theorem_slope"), (Double) row.get("slope_of_mean_calls"), seeds));
      for (double c : (double[]) row.get("mean_calls")) {
        md.append(String.format(" %.3g |", c));
      }
      md.append('\n');
    }
    return md.toString();
  }

  private static void plot(Map<String, double[][]> calls, Map<String, double[]> means,
      Path file) throws Exception {
    int w = 900;
    int h = 600;
    int left = 90;
    int right = 30;
    int top = 40;
    int bottom = 70;
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    double minY = Double.POSITIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (double[][] perSeed : calls.values()) {
      for (double[] row : perSeed) {
        for (double c : row) {
          if (Double.isFinite(c)) {
            minY = Math.min(minY, Math.log10(c));
            maxY = Math.max(maxY, Math.log10(c));
          }
        }
      }
    }
    minY = Math.floor(minY);
    maxY = Math.ceil(maxY);
    double minX = Math.log10(EPSILONS[EPSILONS.length - 1]) - 0.05;
    double maxX = Math.log10(EPSILONS[0]) + 0.05;
    g.setColor(Color.BLACK);
    g.drawRect(left, top, w - left - right, h - top - bottom);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    for (double e : EPSILONS) {
      int px = left + (int) ((Math.log10(e) - minX) / (maxX - minX) * (w - left - right));
      g.drawLine(px, h - bottom, px, h - bottom + 5);
      g.drawString(String.format("%.2f", e), px - 12, h - bottom + 20);
    }
    for (int d = (int) minY; d <= maxY; d++) {
      int py = h - bottom - (int) ((d - minY) / (maxY - minY) * (h - top - bottom));
      g.drawLine(left - 5, py, left, py);
      g.drawString("1e" + d, left - 45, py + 5);
    }
    g.drawString("ε (log scale)", w / 2 - 30, h - 25);
    g.drawString("oracle calls (log scale) until E‖∇φ(x_t)‖ ≤ ε (lines, 5 seeds in lockstep);"
        + " markers: each seed's own 5-iterate average ≤ ε", left, top - 15);
    Color[] colors = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44)};
    int c = 0;
    for (Map.Entry<String, double[][]> entry : calls.entrySet()) {
      g.setColor(colors[c]);
      double[] mean = means.get(entry.getKey());
      int[] xs = new int[EPSILONS.length];
      int[] ys = new int[EPSILONS.length];
      for (int e = 0; e < EPSILONS.length; e++) {
        xs[e] = left + (int) ((Math.log10(EPSILONS[e]) - minX) / (maxX - minX)
            * (w - left - right));
        ys[e] = h - bottom - (int) ((Math.log10(mean[e]) - minY) / (maxY - minY)
            * (h - top - bottom));
        for (double[] perSeed : entry.getValue()) {
          int py = h - bottom - (int) ((Math.log10(perSeed[e]) - minY) / (maxY - minY)
              * (h - top - bottom));
          g.fillOval(xs[e] - 3, py - 3, 6, 6);
        }
      }
      g.setStroke(new BasicStroke(2));
      g.drawPolyline(xs, ys, xs.length);
      g.drawString(String.format("%s: slope %.2f", entry.getKey(), slope(mean)),
          left + 15, top + 25 + 20 * c);
      c++;
    }
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }
}
