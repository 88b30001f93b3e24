package org.f2ba.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run's report: report.html and the PNG plots it shows, made from the run's metrics rows (one
 * per outer iteration, as in metrics.csv), its summary (as in summary.json) and the figures of
 * its final hyperparameters that the experiment draws.
 */
public final class RunReport {
  /** The page's name. */
  public static final String PAGE = "report.html";

  /** Metrics plotted together, against outer iteration and wall time: columns and names. */
  private record Group(String file, String title, String yLabel, boolean logY,
      Map<String, String> columns) {
  }

  private static final List<Group> GROUPS = List.of(
      new Group("loss", "Loss", "loss", false, names("val_loss", "validation", "test_loss",
          "test", "phi", "phi(x) = f(x, y*(x))")),
      new Group("accuracy", "Accuracy", "share of rows classified right", false, names(
          "val_acc", "validation", "test_acc", "test", "phi_test_acc", "test at y*(x)")),
      new Group("hypergradient", "Hyper-gradient norm", "norm", true, names(
          "hypergrad_norm_est", "estimate", "hypergrad_norm_true", "true (exact)",
          "hypergrad_est_error", "error of the estimate")));
  private static final String ITERATION = "iter";
  private static final String WALL = "wall_s";

  private final List<String> columns;
  private final List<List<String>> rows;
  private final Map<String, ?> summary;
  private final List<String> xMetrics;
  private final List<Figure> xFigures;

  /**
   * @param columns the metrics' columns, among them iter and wall_s
   * @param rows the metrics' rows, as written to metrics.csv (an empty cell: not measured)
   * @param summary the run's summary (nested maps allowed)
   * @param xMetrics the columns that are metrics of x (plotted together where not in a group)
   * @param xFigures the experiment's figures of the final x
   */
  public RunReport(List<String> columns, List<List<String>> rows, Map<String, ?> summary,
      List<String> xMetrics, List<Figure> xFigures) {
    this.columns = List.copyOf(columns);
    this.rows = List.copyOf(rows);
    this.summary = summary;
    this.xMetrics = List.copyOf(xMetrics);
    this.xFigures = List.copyOf(xFigures);
  }

  /** The report's files by name: the PNGs, then {@value #PAGE}. */
  public Map<String, byte[]> files() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    List<Figure> progress = progressFigures();
    for (Figure figure : progress) {
      files.put(figure.file(), Charts.png(figure));
    }
    for (Figure figure : xFigures) {
      files.put(figure.file(), Charts.png(figure));
    }
    files.put(PAGE, page(progress).getBytes(StandardCharsets.UTF_8));
    return files;
  }

  /**
   * The metric figures that have a point after the start to draw, each against iteration and
   * wall time.
   */
  List<Figure> progressFigures() {
    List<Group> groups = new ArrayList<>(GROUPS);
    List<String> grouped = GROUPS.stream().flatMap(g -> g.columns().keySet().stream())
        .toList();
    Map<String, String> others = new LinkedHashMap<>();
    xMetrics.stream().filter(m -> !grouped.contains(m)).forEach(m -> others.put(m, m));
    if (!others.isEmpty()) {
      groups.add(new Group("x-metrics", "Metrics of the hyperparameters", "value", false,
          others));
    }
    List<Figure> figures = new ArrayList<>();
    for (Group group : groups) {
      for (String axis : List.of(ITERATION, WALL)) {
        List<Figure.Series> series = new ArrayList<>();
        group.columns().forEach((column, name) -> {
          double[] values = columns.contains(column) ? values(column) : new double[0];
          // measured after the start (x kept with its rows has its metrics at the start only)
          if (Arrays.stream(values).skip(1).anyMatch(Double::isFinite)) {
            series.add(new Figure.Series(name, values(axis), values));
          }
        });
        boolean byIteration = axis.equals(ITERATION);
        Figure.Lines lines = new Figure.Lines(group.file() + (byIteration ? "-by-iteration.png"
            : "-by-time.png"), group.title() + (byIteration ? " by outer iteration"
            : " by wall time"), "", byIteration ? "outer iteration" : "seconds",
            group.yLabel(), group.logY(), series);
        if (Charts.drawable(lines)) {
          figures.add(lines);
        }
      }
    }
    return figures;
  }

  /** Columns and their names in a plot's legend, in pairs. */
  private static Map<String, String> names(String... pairs) {
    Map<String, String> names = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      names.put(pairs[i], pairs[i + 1]);
    }
    return names;
  }

  /** A column's values, NaN where a cell is empty or not a number. */
  private double[] values(String column) {
    int c = columns.indexOf(column);
    double[] values = new double[rows.size()];
    for (int i = 0; i < values.length; i++) {
      try {
        values[i] = Double.parseDouble(rows.get(i).get(c));
      } catch (NumberFormatException e) {
        values[i] = Double.NaN;
      }
    }
    return values;
  }

  private String page(List<Figure> progress) {
    StringBuilder html = new StringBuilder();
    String title = summary.get("experiment") + " with " + summary.get("solver");
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>").append(escape(title)).append("</title>\n<style>\n")
        .append("body { font-family: sans-serif; margin: 2em; color: #222; }\n")
        .append("table { border-collapse: collapse; margin-bottom: 1.5em; }\n")
        .append("td, th { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; }\n")
        .append("td.n { text-align: right; font-variant-numeric: tabular-nums; }\n")
        .append(".plots { display: flex; flex-wrap: wrap; gap: 1em; }\n")
        .append("figure { margin: 0; width: ").append(Charts.WIDTH).append("px; }\n")
        .append("figcaption { font-size: 0.9em; color: #555; }\n")
        .append("</style>\n</head>\n<body>\n<h1>").append(escape(title)).append("</h1>\n");
    html.append("<table>\n");
    for (String key : List.of("outer_iters", "stop_reason", "wall_s", "oracle_calls",
        "second_order_calls", "spark_jobs", "engine", "partitions", "config")) {
      if (summary.containsKey(key)) {
        row(html, key, summary.get(key));
      }
    }
    html.append("</table>\n");
    scores(html);
    html.append("<h2>Progress</h2>\n");
    plots(html, progress);
    if (!xFigures.isEmpty()) {
      html.append("<h2>The hyperparameters at the end</h2>\n");
      plots(html, xFigures);
    }
    html.append("<h2>Everything in summary.json</h2>\n<table>\n");
    flatten("", summary).forEach((key, value) -> row(html, key, value));
    html.append("</table>\n<p>Per outer iteration: <a href=\"metrics.csv\">metrics.csv</a>;")
        .append(" the final iterate: <a href=\"x.txt\">x.txt</a>, <a href=\"y.txt\">y.txt</a>.")
        .append("</p>\n</body>\n</html>\n");
    return html.toString();
  }

  /** The scores at the start, at the end, and after the refit where there was one. */
  private void scores(StringBuilder html) {
    List<String> sets = new ArrayList<>(List.of("initial", "final", "refit"));
    sets.removeIf(set -> !(summary.get(set) instanceof Map));
    if (sets.isEmpty()) {
      return;
    }
    Map<?, ?> last = (Map<?, ?>) summary.get(sets.get(sets.size() - 1));
    html.append("<table>\n<tr><th></th>");
    sets.forEach(set -> html.append("<th>").append(set).append("</th>"));
    html.append("</tr>\n");
    for (Object key : ((Map<?, ?>) summary.get("final")).keySet()) {
      if (!(last.get(key) instanceof Double v) || v.isNaN()) {
        continue;
      }
      html.append("<tr><td>").append(escape(String.valueOf(key))).append("</td>");
      for (String set : sets) {
        html.append("<td class=\"n\">")
            .append(format(((Map<?, ?>) summary.get(set)).get(key))).append("</td>");
      }
      html.append("</tr>\n");
    }
    html.append("</table>\n");
  }

  private static void plots(StringBuilder html, List<Figure> figures) {
    html.append("<div class=\"plots\">\n");
    for (Figure figure : figures) {
      html.append("<figure><img src=\"").append(escape(figure.file())).append("\" alt=\"")
          .append(escape(figure.title())).append("\" width=\"").append(Charts.WIDTH)
          .append("\">");
      if (!figure.caption().isEmpty()) {
        html.append("<figcaption>").append(escape(figure.caption())).append("</figcaption>");
      }
      html.append("</figure>\n");
    }
    html.append("</div>\n");
  }

  private static void row(StringBuilder html, String key, Object value) {
    html.append("<tr><td>").append(escape(key)).append("</td><td")
        .append(value instanceof Number ? " class=\"n\">" : ">")
        .append(format(value)).append("</td></tr>\n");
  }

  /** Nested maps as one level of dotted keys. */
  private static Map<String, Object> flatten(String prefix, Map<?, ?> map) {
    Map<String, Object> flat = new LinkedHashMap<>();
    map.forEach((key, value) -> {
      String name = prefix + key;
      if (value instanceof Map<?, ?> nested) {
        flat.putAll(flatten(name + ".", nested));
      } else {
        flat.put(name, value);
      }
    });
    return flat;
  }

  private static String format(Object value) {
    if (value instanceof Double d) {
      return d.isNaN() ? "" : String.format(Locale.ROOT, "%.4g", d);
    }
    return escape(String.valueOf(value));
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
