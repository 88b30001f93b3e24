package org.f2ba.engine;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.f2ba.data.DataBlock;
import org.f2ba.data.Rows;

/**
 * Cuts each dataset into {@code numShards} contiguous shards of nearly equal size, and each
 * shard into dense blocks of at most {@code blockRows} rows. A shard is built from its datasets
 * alone, so it can be built wherever its rows can be made.
 */
public final class Sharding {
  private Sharding() {
  }

  /** Every shard, built here. */
  public static List<Shard> split(Map<DataRole, ? extends Rows> datasets, int numShards,
      int blockRows) {
    List<Shard> shards = new ArrayList<>(numShards);
    for (int p = 0; p < numShards; p++) {
      shards.add(shard(datasets, p, numShards, blockRows));
    }
    return shards;
  }

  /** Shard {@code index} of {@code numShards}. */
  public static Shard shard(Map<DataRole, ? extends Rows> datasets, int index, int numShards,
      int blockRows) {
    Map<DataRole, int[]> sizes = new EnumMap<>(DataRole.class);
    Map<DataRole, List<DataBlock>> blocks = new EnumMap<>(DataRole.class);
    datasets.forEach((role, data) -> {
      int n = data.rows();
      int[] s = new int[numShards];
      for (int p = 0; p < numShards; p++) {
        s[p] = start(n, numShards, p + 1) - start(n, numShards, p);
      }
      sizes.put(role, s);
      int end = start(n, numShards, index + 1);
      List<DataBlock> list = new ArrayList<>();
      for (int from = start(n, numShards, index); from < end; from += blockRows) {
        list.add(data.block(from, Math.min(end, from + blockRows)));
      }
      blocks.put(role, list);
    });
    return new Shard(index, blocks, sizes);
  }

  /** Whether every dataset is in this JVM's memory already. */
  public static boolean inMemory(Map<DataRole, ? extends Rows> datasets) {
    return datasets.values().stream().allMatch(Rows::inMemory);
  }

  private static int start(int n, int numShards, int p) {
    return (int) ((long) n * p / numShards);
  }
}
