package org.f2ba.engine;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws mini-batches by index, shard by shard, without reading the data: shard p takes its share
 * of the batch (proportional to its size, by largest remainders, so that shares add up to the
 * batch size) and draws that many distinct rows, deterministically from
 * (seed, draw, role, shard). Any engine with the same shards draws the same batches.
 */
public final class BatchSampler {
  private BatchSampler() {
  }

  /** The number of rows shard {@code shard} contributes to a batch of {@code batch} rows. */
  public static int share(int batch, int[] shardSizes, int shard) {
    long total = 0;
    for (int s : shardSizes) {
      total += s;
    }
    if (batch > total) {
      throw new IllegalArgumentException("a batch of " + batch + " from " + total + " rows");
    }
    int[] shares = new int[shardSizes.length];
    double[] remainders = new double[shardSizes.length];
    int assigned = 0;
    for (int p = 0; p < shardSizes.length; p++) {
      double exact = (double) batch * shardSizes[p] / total;
      shares[p] = (int) Math.floor(exact);
      remainders[p] = exact - shares[p];
      assigned += shares[p];
    }
    for (int left = batch - assigned; left > 0; left--) {
      int best = -1;
      for (int p = 0; p < shardSizes.length; p++) {
        if (shares[p] < shardSizes[p] && (best < 0 || remainders[p] > remainders[best])) {
          best = p;
        }
      }
      shares[best]++;
      remainders[best] = -1;
    }
    return shares[shard];
  }

  /** {@code k} distinct rows of [0, n), in increasing order (Floyd's algorithm). */
  public static int[] draw(int k, int n, long seed, long draw, DataRole role, int shard) {
    SplittableRandom random = new SplittableRandom(mix(mix(mix(seed, draw), role.ordinal()),
        shard));
    boolean[] taken = new boolean[n];
    int[] rows = new int[k];
    for (int j = n - k, c = 0; j < n; j++, c++) {
      int t = random.nextInt(j + 1);
      int pick = taken[t] ? j : t;
      taken[pick] = true;
      rows[c] = pick;
    }
    Arrays.sort(rows);
    return rows;
  }

  private static long mix(long a, long b) {
    long h = a * 0x9E3779B97F4A7C15L + b;
    h ^= h >>> 31;
    h *= 0xBF58476D1CE4E5B9L;
    return h ^ (h >>> 29);
  }
}
