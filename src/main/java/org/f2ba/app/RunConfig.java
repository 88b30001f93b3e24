package org.f2ba.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.f2ba.data.InputException;
import org.f2ba.solver.F2ba;
import org.f2ba.solver.SolverKeys;

/**
 * A run's configuration: HOCON file, then key=value overrides, over the defaults in
 * {@code f2ba-defaults.conf}. Reading a key checks its type and range; unknown keys are refused.
 */
public final class RunConfig {
  private static final String SPARK_PASSTHROUGH = "spark.conf";
  private static final String SOURCE_OPTIONS = "data.spark-source.options";
  /** F²BA's keys, which were solver.KEY before solvers had keys of their own. */
  private static final Pattern MOVED_TO_F2BA = Pattern.compile(
      "solver\\.(eta|tau|sigma|schedule|K|restart-z|inner-tolerance|delta\\..+)");
  private final Config config;
  private final String origin;
  private final List<String> notes;

  private RunConfig(Config config, String origin, List<String> notes) {
    this.config = config;
    this.origin = origin;
    this.notes = notes;
  }

  /** Reads {@code file} (null: the defaults alone) and applies the overrides "key=value". */
  public static RunConfig load(String file, List<String> overrides) {
    Config defaults = ConfigFactory.parseResources("f2ba-defaults.conf").resolve();
    Config user = ConfigFactory.empty();
    String origin = "defaults";
    if (file != null) {
      File f = new File(file);
      if (!f.isFile()) {
        throw new InputException(file + ": no such config file");
      }
      try {
        user = ConfigFactory.parseFile(f);
      } catch (ConfigException e) {
        throw new InputException(file + ": not a valid config file (" + e.getMessage() + ")");
      }
      origin = file;
    }
    for (String override : overrides) {
      int eq = override.indexOf('=');
      if (eq <= 0) {
        throw new InputException("override '" + override + "' is not of the form key=value");
      }
      String key = override.substring(0, eq).trim();
      try {
        user = user.withValue(key, ConfigValueFactory.fromAnyRef(override.substring(eq + 1),
            "command line"));
      } catch (ConfigException e) {
        throw new InputException("override '" + override + "': " + e.getMessage());
      }
    }
    List<String> notes = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> entry : user.entrySet()) {
      String key = entry.getKey();
      Matcher moved = MOVED_TO_F2BA.matcher(key);
      if (moved.matches()) {
        String renamed = "solver." + F2ba.NAME + "." + moved.group(1);
        ConfigValue value = entry.getValue();
        user = user.withoutPath(key).withValue(renamed, ConfigValueFactory.fromAnyRef(
            value.unwrapped(), value.origin().description() + ", as '" + key + "'"));
        notes.add("note: config key '" + key + "' is now '" + renamed + "' ("
            + value.origin().description() + ")");
      }
    }
    notes.sort(null);
    for (Map.Entry<String, ?> entry : user.entrySet()) {
      String key = entry.getKey();
      if (!key.startsWith(SPARK_PASSTHROUGH + ".") && !key.startsWith(SOURCE_OPTIONS + ".")
          && !defaults.hasPath(key)) {
        throw new InputException("unknown config key '" + key + "' ("
            + user.getValue(key).origin().description() + ")");
      }
    }
    return new RunConfig(user.withFallback(defaults).resolve(), origin, notes);
  }

  /** Notes for the user about the config, such as keys that were renamed. */
  public List<String> notes() {
    return notes;
  }

  /** The keys under {@code prefix} ("solver.f2ba."), read by their names below it. */
  public SolverKeys keys(String prefix) {
    return new SolverKeys() {
      @Override
      public double positive(String key) {
        return RunConfig.this.positive(prefix + key);
      }

      @Override
      public double nonNegative(String key) {
        return RunConfig.this.nonNegative(prefix + key);
      }

      @Override
      public double number(String key) {
        return RunConfig.this.number(prefix + key);
      }

      @Override
      public int intAtLeast(String key, int min) {
        return RunConfig.this.intAtLeast(prefix + key, min);
      }

      @Override
      public boolean bool(String key) {
        return RunConfig.this.bool(prefix + key);
      }

      @Override
      public String choice(String key, Set<String> allowed) {
        return RunConfig.this.choice(prefix + key, allowed);
      }

      @Override
      public RuntimeException invalid(String key, String why) {
        return RunConfig.this.invalid(prefix + key, why);
      }
    };
  }

  /** Where this config came from, for messages. */
  public String origin() {
    return origin;
  }

  public String string(String key) {
    return read(key, () -> config.getString(key));
  }

  /** A string that must be one of {@code allowed}. */
  public String choice(String key, Set<String> allowed) {
    String value = string(key);
    if (!allowed.contains(value)) {
      throw invalid(key, "'" + value + "' is not one of " + new java.util.TreeSet<>(allowed));
    }
    return value;
  }

  public boolean bool(String key) {
    return read(key, () -> config.getBoolean(key));
  }

  public long longValue(String key) {
    return read(key, () -> config.getLong(key));
  }

  /** An int of at least {@code min}. */
  public int intAtLeast(String key, int min) {
    int value = read(key, () -> config.getInt(key));
    if (value < min) {
      throw invalid(key, value + " is less than " + min);
    }
    return value;
  }

  /** A finite number greater than 0. */
  public double positive(String key) {
    double value = number(key);
    if (!(value > 0)) {
      throw invalid(key, value + " must be greater than 0");
    }
    return value;
  }

  /** A finite number of at least 0. */
  public double nonNegative(String key) {
    double value = number(key);
    if (value < 0) {
      throw invalid(key, value + " must not be negative");
    }
    return value;
  }

  /** A finite number. */
  public double number(String key) {
    double value = read(key, () -> config.getDouble(key));
    if (!Double.isFinite(value)) {
      throw invalid(key, value + " is not a finite number");
    }
    return value;
  }

  /** A batch size: a positive int, or "full" (returned as 0). */
  public int batchSize(String key) {
    String value = string(key).trim();
    if (value.equals("full")) {
      return 0;
    }
    try {
      int b = Integer.parseInt(value);
      if (b >= 1) {
        return b;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid(key, "'" + value + "' is neither \"full\" nor a positive whole number");
  }

  /** The Spark properties under spark.conf. */
  public Map<String, String> sparkProperties() {
    return freeForm(SPARK_PASSTHROUGH);
  }

  /** The options of the Spark data source under data.spark-source.options. */
  public Map<String, String> sourceOptions() {
    return freeForm(SOURCE_OPTIONS);
  }

  /** The keys and values of a section whose keys are not the application's own. */
  private Map<String, String> freeForm(String section) {
    Map<String, String> props = new TreeMap<>();
    for (Map.Entry<String, Object> e : config.getConfig(section).root().unwrapped()
        .entrySet()) {
      props.put(e.getKey(), String.valueOf(e.getValue()));
    }
    return props;
  }

  public InputException invalid(String key, String why) {
    return new InputException("config key '" + key + "' (" + describe(key) + "): " + why);
  }

  private String describe(String key) {
    return config.hasPath(key) ? config.getValue(key).origin().description() : origin;
  }

  private <T> T read(String key, java.util.function.Supplier<T> getter) {
    try {
      return getter.get();
    } catch (ConfigException e) {
      throw new InputException("config key '" + key + "': " + e.getMessage());
    }
  }
}
