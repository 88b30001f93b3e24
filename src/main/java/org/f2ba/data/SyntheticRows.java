package org.f2ba.data;

import java.util.SplittableRandom;

/**
 * Classification rows generated where they are needed, so that no machine holds more of them
 * than its own partitions: row i of class c (drawn uniformly) has features m_c + e with e
 * standard normal, where the class means m_c have entries drawn from N(0, separation²), the same
 * for every dataset of one seed; a training set's labels then go through {@link LabelNoise}. Row
 * i depends only on (seed, dataset, i), so any block is the same wherever and whenever it is
 * made.
 */
public final class SyntheticRows implements RangeRows {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final int rows;
  private final int dim;
  private final int numClasses;
  private final double separation;
  private final double labelNoise;
  private final long seed;
  private final int dataset;
  private transient float[][] means;

  /**
   * @param dataset tells the datasets of one seed apart (training, validation, test)
   * @param labelNoise the probability that a label is replaced by a uniformly drawn class
   */
  public SyntheticRows(String name, int rows, int dim, int numClasses, double separation,
      double labelNoise, long seed, int dataset) {
    this.name = name;
    this.rows = rows;
    this.dim = dim;
    this.numClasses = numClasses;
    this.separation = separation;
    this.labelNoise = labelNoise;
    this.seed = seed;
    this.dataset = dataset;
  }

  @Override
  public DataBlock block(int from, int to) {
    float[][] m = means();
    int width = dim + 1;
    float[] values = new float[(to - from) * width];
    int[] labels = new int[to - from];
    int[] index = new int[to - from];
    for (int k = 0; k < labels.length; k++) {
      int i = from + k;
      SplittableRandom random = row(i);
      int truth = random.nextInt(numClasses);
      for (int j = 0; j < dim; j++) {
        values[k * width + j] = (float) (m[truth][j] + random.nextGaussian());
      }
      values[k * width + dim] = 1.0f;
      labels[k] = noisy(truth, i);
      index[k] = i;
    }
    return new DataBlock(labels.length, width, values, labels, index);
  }

  @Override
  public int[] labels() {
    int[] labels = trueLabels();
    for (int i = 0; i < rows; i++) {
      labels[i] = noisy(labels[i], i);
    }
    return labels;
  }

  /** The labels before the noise. */
  public int[] trueLabels() {
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      labels[i] = row(i).nextInt(numClasses);
    }
    return labels;
  }

  private int noisy(int truth, int i) {
    return labelNoise > 0 ? LabelNoise.corrupt(truth, i, numClasses, labelNoise, seed) : truth;
  }

  /** The random stream of row i: its class first, then its features. */
  private SplittableRandom row(int i) {
    return new SplittableRandom((seed * 31 + dataset) * 0x9E3779B97F4A7C15L + i);
  }

  private float[][] means() {
    if (means == null) {
      SplittableRandom random = new SplittableRandom(seed * 0xC2B2AE3D27D4EB4FL - 1);
      float[][] m = new float[numClasses][dim];
      for (int c = 0; c < numClasses; c++) {
        for (int j = 0; j < dim; j++) {
          m[c][j] = (float) (separation * random.nextGaussian());
        }
      }
      means = m;
    }
    return means;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public int numClasses() {
    return numClasses;
  }

  @Override
  public boolean inMemory() {
    return false;
  }
}
