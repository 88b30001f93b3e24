package org.f2ba.app;

import java.util.List;

/**
 * Everything a run needs to continue exactly where it was after outer iteration
 * {@code iteration}: the iterates, δ_t, the sampler's draw count, the oracle calls, the wall time
 * so far and the metric rows written. {@code problem} names the problem and its dimensions, so
 * that a checkpoint is never resumed into another; {@code sampling} the seed, batch sizes and
 * partitions, without which the resumed run is not the uninterrupted one bit for bit.
 */
public record Checkpoint(String problem, String sampling, int iteration, long draws,
    long oracleCalls, double delta, double wallSeconds, double[] x, double[] y, double[] z,
    List<List<String>> metricRows) {
}
