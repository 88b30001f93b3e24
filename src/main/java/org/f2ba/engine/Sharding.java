package org.f2ba.engine;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.f2ba.data.DataBlock;
import org.f2ba.data.LabeledData;

/**
 * Cuts each dataset into {@code numShards} contiguous shards of nearly equal size, and each
 * shard into dense blocks of at most {@code blockRows} rows.
 */
public final class Sharding {
  private Sharding() {
  }

  public static List<Shard> split(Map<DataRole, LabeledData> datasets, int numShards,
      int blockRows) {
    Map<DataRole, int[]> sizes = new EnumMap<>(DataRole.class);
    for (Map.Entry<DataRole, LabeledData> e : datasets.entrySet()) {
      int n = e.getValue().rows();
      int[] s = new int[numShards];
      for (int p = 0; p < numShards; p++) {
        s[p] = start(n, numShards, p + 1) - start(n, numShards, p);
      }
      sizes.put(e.getKey(), s);
    }
    List<Shard> shards = new ArrayList<>(numShards);
    for (int p = 0; p < numShards; p++) {
      Map<DataRole, List<DataBlock>> blocks = new EnumMap<>(DataRole.class);
      for (Map.Entry<DataRole, LabeledData> e : datasets.entrySet()) {
        LabeledData data = e.getValue();
        int end = start(data.rows(), numShards, p + 1);
        List<DataBlock> list = new ArrayList<>();
        for (int from = start(data.rows(), numShards, p); from < end; from += blockRows) {
          list.add(DataBlock.of(data, from, Math.min(end, from + blockRows)));
        }
        blocks.put(e.getKey(), list);
      }
      shards.add(new Shard(p, blocks, sizes));
    }
    return shards;
  }

  private static int start(int n, int numShards, int p) {
    return (int) ((long) n * p / numShards);
  }
}
