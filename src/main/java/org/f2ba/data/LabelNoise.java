package org.f2ba.data;

import java.util.SplittableRandom;

/**
 * Replaces each label, with probability {@code p}, by a class drawn uniformly from all classes
 * (so it may by chance stay correct). The draw for sample i depends only on (seed, i).
 */
public final class LabelNoise {
  private LabelNoise() {
  }

  public static int[] corrupt(int[] labels, int numClasses, double p, long seed) {
    int[] noisy = labels.clone();
    for (int i = 0; i < labels.length; i++) {
      SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
      if (random.nextDouble() < p) {
        noisy[i] = random.nextInt(numClasses);
      }
    }
    return noisy;
  }
}
