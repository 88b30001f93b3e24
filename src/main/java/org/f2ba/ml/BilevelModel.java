package org.f2ba.ml;

import org.apache.spark.ml.Model;
import org.apache.spark.ml.util.MLWritable;

/**
 * What the project's Spark ML models share: an id, files as Spark ML lays them out, and the
 * summary of the fit that made them, which a model loaded from files does not have (as with
 * Spark ML's own models).
 *
 * @param <M> the model itself
 */
public abstract class BilevelModel<M extends BilevelModel<M>> extends Model<M>
    implements MLWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private TrainingSummary summary;

  protected BilevelModel(String uid) {
    this.uid = uid;
  }

  @Override
  public String uid() {
    return uid;
  }

  /** Whether the model has the summary of the fit that made it (a loaded one has none). */
  public boolean hasSummary() {
    return summary != null;
  }

  /** The summary of the fit that made this model. */
  public TrainingSummary summary() {
    if (summary == null) {
      throw new IllegalStateException("No training summary available for this "
          + getClass().getSimpleName() + ": a model loaded from files has none");
    }
    return summary;
  }

  /** {@code copy}, with this model's summary and parent: what {@link #copy} returns. */
  protected M copied(M copy) {
    copy.setSummary(summary);
    return copy.setParent(parent());
  }

  void setSummary(TrainingSummary summary) {
    this.summary = summary;
  }
}
