package org.f2ba;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** One local[2] SparkContext shared by the tests of a JVM. */
public final class SparkTestContext {
  private static JavaSparkContext context;

  private SparkTestContext() {
  }

  public static synchronized JavaSparkContext get() {
    if (context == null) {
      context = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("tests")
          .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false"));
      Runtime.getRuntime().addShutdownHook(new Thread(context::stop));
    }
    return context;
  }
}
