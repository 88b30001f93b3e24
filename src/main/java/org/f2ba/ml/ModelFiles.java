package org.f2ba.ml;

import java.util.List;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * A model's files, laid out as Spark ML's own models lay theirs out: the Params as metadata
 * (JSON, in "metadata/") and what the fit learned as one row of Parquet (in "data/").
 */
final class ModelFiles {
  private ModelFiles() {
  }

  /** What a model's files hold: its metadata and its data row. */
  record Loaded(DefaultParamsReader.Metadata metadata, Row data) {
    /** Sets {@code model}'s Params as they were saved. */
    <T extends Params> T withParams(T model) {
      metadata.getAndSetParams(model, Option.empty());
      return model;
    }
  }

  static void save(Params model, String path, SparkSession spark, StructType schema, Row data) {
    DefaultParamsWriter$.MODULE$.saveMetadata(model, path, spark);
    spark.createDataFrame(List.of(data), schema).repartition(1).write()
        .parquet(path + "/data");
  }

  static Loaded load(String path, SparkSession spark, Class<?> type) {
    DefaultParamsReader.Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path,
        spark, type.getName());
    return new Loaded(metadata, spark.read().parquet(path + "/data").head());
  }
}
