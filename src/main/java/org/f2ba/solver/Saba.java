package org.f2ba.solver;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * SABA (Dagréou et al. 2022): SOBA's three directions, D_y = ∇y g, D_v = ∇²yy g v + ∇y f and
 * D_x = ∇²xy g v + ∇x f, each replaced by its SAGA estimate. The samples of both levels are
 * split once into m fixed batches; the solver keeps the last value of each direction on each
 * batch (the memory) and their mean. An outer iteration evaluates the three directions at
 * (x_t, y_t, v_t) on one batch j drawn uniformly, uses D(j) − memory(j) + mean as the estimate,
 * and then stores D(j) in place of memory(j). The first iteration first fills the memory with
 * one pass over all m batches at the starting point. Memory: m × (2 dim y + dim x) doubles on the
 * driver, kept in checkpoints.
 */
public final class Saba extends OuterLoop {
  public static final String NAME = "saba";
  private static final List<String> COLUMNS = List.of("inner_grad_norm", "batch");

  /** Step s of y and v, ratio r (x's step is s/r), and the number of batches m. */
  record Parameters(double step, double ratio, int batches) {
  }

  /** One direction's memory: its value on every batch, row after row, and their mean. */
  private record Memory(double[] perBatch, double[] mean) {
    /** The SAGA estimate from this batch's new value, which then replaces the stored one. */
    double[] estimate(int batch, double[] fresh) {
      int dim = mean.length;
      int batches = perBatch.length / dim;
      double[] estimate = new double[dim];
      for (int i = 0; i < dim; i++) {
        double change = fresh[i] - perBatch[batch * dim + i];
        estimate[i] = change + mean[i];
        mean[i] += change / batches;
        perBatch[batch * dim + i] = fresh[i];
      }
      return estimate;
    }
  }

  /** The directions, in the order of {@link Soba#directions}, by the names they are kept under. */
  private static final String[] DIRECTIONS = {"y", "v", "x"};

  private final Parameters params;
  private final double[] v;
  private final Memory[] memory = new Memory[3];

  Saba(BilevelOracle oracle, Parameters params, SolverState state) {
    super(oracle, state);
    oracle.requireSecondOrder(NAME);
    this.params = params;
    this.v = state.vector("v", new double[y.length]).clone();
    int[] dims = {y.length, y.length, x.length};
    for (int k = 0; k < 3; k++) {
      double[] stored = state.vector("memory_" + DIRECTIONS[k], null);
      if (stored != null) {
        if (stored.length != params.batches() * dims[k]) {
          throw new IllegalArgumentException("the checkpoint's SABA memory holds "
              + stored.length / dims[k] + " batches, but solver.saba.batches is "
              + params.batches());
        }
        memory[k] = new Memory(stored.clone(),
            state.vector("mean_" + DIRECTIONS[k], null).clone());
      }
    }
  }

  /** SABA from its keys, solver.saba.*. */
  public static SolverType fromKeys(SolverKeys keys) {
    Parameters params = new Parameters(keys.positive("step"), keys.positive("ratio"),
        keys.intAtLeast("batches", 1));
    return SolverType.of(NAME, COLUMNS, (oracle, state) -> new Saba(oracle, params, state));
  }

  @Override
  public OuterState next() {
    if (memory[0] == null) {
      fillMemory();
    }
    int batch = new SplittableRandom(0x5ABA_0000L + iteration).nextInt(params.batches());
    double[][] fresh = Soba.directions(oracle, oracle.partitionBatch(batch, params.batches()),
        x, y, v);
    double[] dy = memory[0].estimate(batch, fresh[0]);
    double[] dv = memory[1].estimate(batch, fresh[1]);
    double[] dx = memory[2].estimate(batch, fresh[2]);
    Vectors.descend(y, params.step(), dy);
    Vectors.descend(v, params.step(), dv);
    double[] before = stepX(params.step() / params.ratio(), dx);
    Map<String, double[]> vectors = new TreeMap<>(Map.of("v", v));
    for (int k = 0; k < 3; k++) {
      vectors.put("memory_" + DIRECTIONS[k], memory[k].perBatch());
      vectors.put("mean_" + DIRECTIONS[k], memory[k].mean());
    }
    return report(vectors, Map.of(), dx, before, 1,
        Map.of("inner_grad_norm", Vectors.norm(dy), "batch", (double) batch));
  }

  /** SAGA's start: every batch's directions at the current point, and their mean. */
  private void fillMemory() {
    int[] dims = {y.length, y.length, x.length};
    for (int k = 0; k < 3; k++) {
      memory[k] = new Memory(new double[params.batches() * dims[k]], new double[dims[k]]);
    }
    for (int j = 0; j < params.batches(); j++) {
      double[][] fresh = Soba.directions(oracle, oracle.partitionBatch(j, params.batches()), x,
          y, v);
      for (int k = 0; k < 3; k++) {
        System.arraycopy(fresh[k], 0, memory[k].perBatch(), j * dims[k], dims[k]);
        for (int i = 0; i < dims[k]; i++) {
          memory[k].mean()[i] += fresh[k][i] / params.batches();
        }
      }
    }
  }
}
