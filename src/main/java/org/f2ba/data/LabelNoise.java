package org.f2ba.data;

import java.util.SplittableRandom;

/**
 * Replaces each label, with probability {@code p}, by a class drawn uniformly from all classes
 * (so it may by chance stay correct). The draw for sample i depends only on (seed, i).
 */
public final class LabelNoise {
  private LabelNoise() {
  }

  public static double[] corrupt(double[] labels, int numClasses, double p, long seed) {
    double[] noisy = new double[labels.length];
    for (int i = 0; i < labels.length; i++) {
      noisy[i] = corrupt((int) labels[i], i, numClasses, p, seed);
    }
    return noisy;
  }

  /** The label of sample {@code i}, {@code label} before the noise. */
  public static int corrupt(int label, int i, int numClasses, double p, long seed) {
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
    return random.nextDouble() < p ? random.nextInt(numClasses) : label;
  }
}
