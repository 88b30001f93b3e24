package org.f2ba.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.f2ba.data.DataBlock;
import org.f2ba.data.TableRows;
import scala.Tuple2;

/**
 * The shards of rows that Spark data sources read ({@link TableRows}). The executors read the
 * sources and make blocks that never cross a shard's range; one shuffle brings every shard's
 * blocks to the partition of the shard's number, where they are put in row order and cut as
 * {@link Sharding} cuts rows made by range: the same shards, bit for bit, as the same rows held
 * here would give. The source partitions and the shards need not match in number or size.
 */
public final class TableSharding {
  private TableSharding() {
  }

  /** Shard p in partition p, built by the executors (not yet cached). */
  public static JavaRDD<Shard> onExecutors(Map<DataRole, TableRows> tables, int numShards,
      int blockRows) {
    Map<DataRole, int[]> sizes = sizes(tables, numShards);
    return pieces(tables, numShards, blockRows)
        .partitionBy(new HashPartitioner(numShards)) // an Integer key p goes to partition p
        .mapPartitionsWithIndex((p, it) -> List.of(assemble(p, it, sizes, blockRows))
            .iterator(), true);
  }

  /** Every shard, built here from the blocks that the executors made. */
  public static List<Shard> collected(Map<DataRole, TableRows> tables, int numShards,
      int blockRows) {
    Map<DataRole, int[]> sizes = sizes(tables, numShards);
    List<List<Tuple2<Integer, Tuple2<DataRole, DataBlock>>>> byShard = new ArrayList<>();
    for (int p = 0; p < numShards; p++) {
      byShard.add(new ArrayList<>());
    }
    for (Tuple2<Integer, Tuple2<DataRole, DataBlock>> piece
        : pieces(tables, numShards, blockRows).collect()) {
      byShard.get(piece._1()).add(piece);
    }
    List<Shard> shards = new ArrayList<>();
    for (int p = 0; p < numShards; p++) {
      shards.add(assemble(p, byShard.get(p).iterator(), sizes, blockRows));
    }
    return shards;
  }

  /** Every table's blocks, keyed by the shard they belong to. */
  private static JavaPairRDD<Integer, Tuple2<DataRole, DataBlock>> pieces(
      Map<DataRole, TableRows> tables, int numShards, int blockRows) {
    JavaPairRDD<Integer, Tuple2<DataRole, DataBlock>> all = null;
    for (Map.Entry<DataRole, TableRows> table : tables.entrySet()) {
      DataRole role = table.getKey();
      int[] starts = Sharding.starts(table.getValue().rows(), numShards);
      JavaPairRDD<Integer, Tuple2<DataRole, DataBlock>> pieces = table.getValue()
          .blocks(starts, blockRows)
          .mapToPair(block -> new Tuple2<>(shardOf(starts, block.index()[0]),
              new Tuple2<>(role, block)));
      all = all == null ? pieces : all.union(pieces);
    }
    return all;
  }

  /** The shard whose rows [starts[p], starts[p + 1]) hold row r. */
  private static int shardOf(int[] starts, int r) {
    int p = 0;
    while (starts[p + 1] <= r) {
      p++;
    }
    return p;
  }

  private static Map<DataRole, int[]> sizes(Map<DataRole, TableRows> tables, int numShards) {
    Map<DataRole, int[]> sizes = new EnumMap<>(DataRole.class);
    tables.forEach((role, table) -> sizes.put(role,
        Sharding.sizes(Sharding.starts(table.rows(), numShards))));
    return sizes;
  }

  /** Shard p from its pieces, in any order. */
  private static Shard assemble(int p, Iterator<Tuple2<Integer, Tuple2<DataRole, DataBlock>>> it,
      Map<DataRole, int[]> sizes, int blockRows) {
    Map<DataRole, List<DataBlock>> parts = new EnumMap<>(DataRole.class);
    sizes.keySet().forEach(role -> parts.put(role, new ArrayList<>()));
    it.forEachRemaining(piece -> parts.get(piece._2()._1()).add(piece._2()._2()));
    Map<DataRole, List<DataBlock>> blocks = new EnumMap<>(DataRole.class);
    parts.forEach((role, list) -> {
      list.sort(Comparator.comparingInt(block -> block.index()[0]));
      blocks.put(role, DataBlock.concatenate(list, blockRows));
    });
    return new Shard(p, blocks, sizes);
  }
}
