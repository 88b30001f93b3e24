package org.f2ba.engine;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws mini-batches by index, shard by shard, without reading the data: shard p takes its share
 * of the batch (proportional to its size, by largest remainders, so that shares add up to the
 * batch size) and draws that many distinct rows, deterministically from
 * (seed, draw, role, shard). Any engine with the same shards draws the same batches. Batches of a
 * fixed partition are cut shard by shard too: each shard splits its rows into the same number
 * of parts.
 */
public final class BatchSampler {
  /** Mixed into the seed of partitions so that they do not repeat a random draw. */
  private static final long PARTITION = 0x5A6B_A000_0000_0001L;

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

  /**
   * Part {@code part} of a fixed partition of [0, n) into {@code parts}, in increasing order:
   * the rows at positions [n·part/parts, n·(part+1)/parts) of a permutation of [0, n) fixed by
   * (seed, role, shard), so that the parts of one shard differ in size by at most one row.
   */
  public static int[] part(int part, int parts, int n, long seed, DataRole role, int shard) {
    SplittableRandom random = new SplittableRandom(mix(mix(mix(seed, PARTITION), role.ordinal()),
        shard));
    int[] permutation = new int[n];
    for (int i = 0; i < n; i++) {
      int j = random.nextInt(i + 1);
      permutation[i] = permutation[j];
      permutation[j] = i;
    }
    int from = (int) ((long) n * part / parts);
    int[] rows = Arrays.copyOfRange(permutation, from, (int) ((long) n * (part + 1) / parts));
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
