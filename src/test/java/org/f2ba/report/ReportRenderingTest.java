package org.f2ba.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report as a person sees it: rendered by headless Chromium (the Debian package chromium,
 * which .ci/run and submit-scripts/render-report.sh install), its plots are on the page. Where
 * Chromium is missing the test is skipped, and says so.
 */
class ReportRenderingTest {
  @TempDir
  Path dir;

  @Test
  void chromiumShowsEveryPlotOfTheReport() throws Exception {
    String chromium = chromium();
    Assumptions.assumeTrue(chromium != null, "chromium is not installed: the rendering of"
        + " report.html is not checked (apt-get install chromium)");
    List<String> columns = List.of("iter", "wall_s", "hypergrad_norm_est", "val_loss",
        "val_acc");
    List<List<String>> rows = new ArrayList<>();
    for (int t = 0; t <= 20; t++) {
      rows.add(List.of(String.valueOf(t), String.valueOf(0.3 * t), t == 0 ? ""
          : String.valueOf(Math.pow(0.8, t)), String.valueOf(1 + 1.0 / (t + 1)),
          String.valueOf(0.5 + 0.02 * t)));
    }
    Figure weights = Figure.Histogram.of("weights.png", "Weights", "", "weight", 0, 1, 20,
        Map.of("clean rows", new double[] {0.8, 0.9, 0.9, 1}, "corrupted rows",
            new double[] {0, 0.1, 0.1, 0.2}));
    Map<String, byte[]> files = new RunReport(columns, rows, Map.of("experiment", "test",
        "solver", "f2ba", "outer_iters", 20), List.of(), List.of(weights)).files();
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      Files.write(dir.resolve(file.getKey()), file.getValue());
    }
    // 3 metrics by iteration and by time, and the histogram
    assertEquals(7, files.keySet().stream().filter(f -> f.endsWith(".png")).count());
    long shown = plotPixels(render(chromium, "shown.png"));
    for (String file : files.keySet()) {
      if (file.endsWith(".png")) {
        Files.delete(dir.resolve(file));
      }
    }
    long missing = plotPixels(render(chromium, "missing.png"));
    // Each plot draws its curves in XChart's blue: thousands of pixels on the page; where the
    // images cannot be loaded, only the few of the broken-image icons.
    assertTrue(shown > 7 * 500, "blue pixels with the plots: " + shown);
    assertTrue(missing < shown / 50, "blue pixels without the plots: " + missing
        + ", with them: " + shown);
  }

  /** The screenshot of report.html, 1400 × 2400. */
  private BufferedImage render(String chromium, String name) throws Exception {
    Path shot = dir.resolve(name);
    Path profile = Files.createTempDirectory(dir, "profile");
    Process process = new ProcessBuilder(chromium, "--headless", "--no-sandbox",
        "--disable-gpu", "--hide-scrollbars", "--user-data-dir=" + profile,
        "--window-size=1400,2400", "--screenshot=" + shot,
        dir.resolve(RunReport.PAGE).toUri().toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
    assertEquals(0, process.exitValue(), Files.readString(dir.resolve(name + ".log")));
    BufferedImage image = ImageIO.read(shot.toFile());
    assertEquals(1400, image.getWidth());
    return image;
  }

  /** Pixels of the blue that XChart draws its first series in (not the darker blue of links). */
  private static long plotPixels(BufferedImage image) {
    long count = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        int r = rgb >> 16 & 255;
        int g = rgb >> 8 & 255;
        int b = rgb & 255;
        count += b > 200 && r < 130 && g > 60 && g < 170 ? 1 : 0; // not a link
      }
    }
    return count;
  }

  /** The chromium on the PATH, or null. */
  private static String chromium() {
    for (String dirName : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        File file = new File(dirName, name);
        if (file.canExecute()) {
          return file.getPath();
        }
      }
    }
    return null;
  }
}
