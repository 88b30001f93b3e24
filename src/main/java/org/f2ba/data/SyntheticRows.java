package org.f2ba.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Classification rows generated where they are needed, so that no machine holds more of them
 * than its own partitions. Row i has a class c drawn uniformly, and features
 * <ul>
 * <li>dense: m_c + e with e standard normal, where the class means m_c have entries drawn from
 * N(0, separation²);</li>
 * <li>sparse, like word counts: {@code nonZeros} draws of a feature, each from c's own
 * vocabulary of {@code classFeatures} features with probability {@code classShare}, else
 * uniformly from all; a feature's value is the number of times it was drawn.</li>
 * </ul>
 * The means and vocabularies are the same for every dataset of one seed; a training set's labels
 * then go through {@link LabelNoise}. Row i depends only on (seed, dataset, i), so any block is
 * the same wherever and whenever it is made.
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
  private final Sparsity sparsity;
  private transient float[][] means;
  private transient int[][] vocabularies;

  /**
   * Sparse rows: {@code nonZeros} draws a row, from the class's {@code classFeatures} features
   * with probability {@code classShare}.
   */
  public record Sparsity(int nonZeros, int classFeatures, double classShare)
      implements Serializable {
  }

  /**
   * @param dataset tells the datasets of one seed apart (training, validation, test)
   * @param labelNoise the probability that a label is replaced by a uniformly drawn class
   * @param sparsity how sparse rows are drawn; null for dense rows
   */
  public SyntheticRows(String name, int rows, int dim, int numClasses, double separation,
      double labelNoise, long seed, int dataset, Sparsity sparsity) {
    this.name = name;
    this.rows = rows;
    this.dim = dim;
    this.numClasses = numClasses;
    this.separation = separation;
    this.labelNoise = labelNoise;
    this.seed = seed;
    this.dataset = dataset;
    this.sparsity = sparsity;
  }

  @Override
  public DataBlock block(int from, int to) {
    return sparsity == null ? denseBlock(from, to) : sparseBlock(from, to);
  }

  private DataBlock denseBlock(int from, int to) {
    float[][] m = means();
    int width = dim + 1;
    float[] values = new float[(to - from) * width];
    float[] labels = new float[to - from];
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
    return DataBlock.dense(labels.length, width, values, labels, index);
  }

  private DataBlock sparseBlock(int from, int to) {
    int[][] words = vocabularies();
    DataBlock.Builder builder = new DataBlock.Builder(dim + 1, true, to - from);
    int[] drawn = new int[sparsity.nonZeros()];
    for (int i = from; i < to; i++) {
      SplittableRandom random = row(i);
      int truth = random.nextInt(numClasses);
      for (int k = 0; k < drawn.length; k++) {
        drawn[k] = random.nextDouble() < sparsity.classShare()
            ? words[truth][random.nextInt(words[truth].length)] : random.nextInt(dim);
      }
      Arrays.sort(drawn);
      for (int k = 0; k < drawn.length; ) {
        int same = k;
        while (same < drawn.length && drawn[same] == drawn[k]) {
          same++;
        }
        builder.add(drawn[k], same - k);
        k = same;
      }
      builder.endRow(noisy(truth, i), i);
    }
    return builder.build();
  }

  @Override
  public double[] labels() {
    double[] labels = trueLabels();
    for (int i = 0; i < rows; i++) {
      labels[i] = noisy((int) labels[i], i);
    }
    return labels;
  }

  /** The labels before the noise. */
  public double[] trueLabels() {
    double[] labels = new double[rows];
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

  private int[][] vocabularies() {
    if (vocabularies == null) {
      SplittableRandom random = new SplittableRandom(seed * 0x165667B19E3779F9L + 7);
      int[][] v = new int[numClasses][Math.min(sparsity.classFeatures(), dim)];
      for (int[] words : v) {
        for (int k = 0; k < words.length; k++) {
          words[k] = random.nextInt(dim);
        }
      }
      vocabularies = v;
    }
    return vocabularies;
  }

  /** Whether the rows are sparse. */
  public boolean sparse() {
    return sparsity != null;
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
