package org.f2ba.engine;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.f2ba.data.DataBlock;
import org.f2ba.data.RangeRows;

/**
 * Cuts each dataset into {@code numShards} contiguous shards of nearly equal size, and each
 * shard into blocks of at most {@code blockRows} rows. A shard is built from its datasets
 * alone, so it can be built wherever its rows can be made.
 */
public final class Sharding {
  private Sharding() {
  }

  /** Every shard, built here. */
  public static List<Shard> split(Map<DataRole, ? extends RangeRows> datasets, int numShards,
      int blockRows) {
    List<Shard> shards = new ArrayList<>(numShards);
    for (int p = 0; p < numShards; p++) {
      shards.add(shard(datasets, p, numShards, blockRows));
    }
    return shards;
  }

  /** Shard {@code index} of {@code numShards}. */
  public static Shard shard(Map<DataRole, ? extends RangeRows> datasets, int index,
      int numShards, int blockRows) {
    Map<DataRole, int[]> sizes = new EnumMap<>(DataRole.class);
    Map<DataRole, List<DataBlock>> blocks = new EnumMap<>(DataRole.class);
    datasets.forEach((role, data) -> {
      int[] starts = starts(data.rows(), numShards);
      sizes.put(role, sizes(starts));
      List<DataBlock> list = new ArrayList<>();
      for (int from = starts[index]; from < starts[index + 1]; from += blockRows) {
        list.add(data.block(from, Math.min(starts[index + 1], from + blockRows)));
      }
      blocks.put(role, list);
    });
    return new Shard(index, blocks, sizes);
  }

  /** Whether every dataset is in this JVM's memory already. */
  public static boolean inMemory(Map<DataRole, ? extends RangeRows> datasets) {
    return datasets.values().stream().allMatch(RangeRows::inMemory);
  }

  /**
   * The row each of {@code numShards} shards of {@code n} rows starts at, and last n: shard p
   * holds rows [starts[p], starts[p + 1]).
   */
  static int[] starts(int n, int numShards) {
    int[] starts = new int[numShards + 1];
    for (int p = 0; p <= numShards; p++) {
      starts[p] = (int) ((long) n * p / numShards);
    }
    return starts;
  }

  /** The rows of every shard. */
  static int[] sizes(int[] starts) {
    int[] sizes = new int[starts.length - 1];
    for (int p = 0; p < sizes.length; p++) {
      sizes[p] = starts[p + 1] - starts[p];
    }
    return sizes;
  }
}
