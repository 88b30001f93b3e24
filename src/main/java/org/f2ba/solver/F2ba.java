package org.f2ba.solver;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.f2ba.engine.LossRequest;
import org.f2ba.engine.XStep;
import org.f2ba.problem.BilevelProblem;
import org.f2ba.solver.BilevelOracle.Derivatives;

/**
 * F²BA (Algorithm 2) and, with mini-batch gradients and K_t from Eq. 8, F²BSA (Algorithm 3).
 * Where the problem confines y to a box, the inner steps are projected onto it. Its state
 * holds z and, where the schedule keeps it, δ_t.
 *
 * <p>AccF²BA adds Nesterov momentum on both levels (a practical extension, outside the paper's
 * theory): each inner step takes its gradients at y + β(y − y_prev) and z + β(z − z_prev), each
 * outer step its estimate at x + β_x(x − x_prev); its state also holds y_prev and z_prev where
 * β > 0, x_prev where β_x > 0.
 */
public final class F2ba extends OuterLoop {
  public static final String NAME = "f2ba";
  public static final String ACCELERATED = "accf2ba";
  private static final List<String> COLUMNS = List.of("inner_grad_norm_z", "inner_grad_norm_y",
      "delta");
  /** The gradients of the estimate at (x, y, z), on points {y, z}: see {@link #outerGradients}. */
  private static final LossRequest[] ESTIMATE = {LossRequest.upper(0).withGradX(),
      LossRequest.lower(0).withGradX(), LossRequest.lower(1).withGradX()};

  /** Momentum β of the inner steps and β_x of the outer ones (both 0: F²BA itself). */
  public record Momentum(double inner, double outer) {
    public static final Momentum NONE = new Momentum(0, 0);
  }

  private final F2baParameters params;
  private final InnerSchedule schedule;
  private final Momentum momentum;
  private final BilevelProblem.Box domain;
  private final double[] z;
  private final double[] yPrev;
  private final double[] zPrev;
  private final double[] xPrev;

  public F2ba(BilevelOracle oracle, F2baParameters params, InnerSchedule schedule, double[] x0,
      double[] y0) {
    this(oracle, params, schedule, Momentum.NONE, SolverState.initial(x0, y0));
  }

  /**
   * Continues from {@code state}; z_0 = y_0 where it has no z (Algorithm 2, line 1), and the
   * previous iterates of the momentum are the current ones where it has none.
   */
  public F2ba(BilevelOracle oracle, F2baParameters params, InnerSchedule schedule,
      Momentum momentum, SolverState state) {
    super(oracle, state, XPlaces.DRIVER_OR_KEPT_WITH_ROWS);
    if (state.x() == null && (momentum.outer() > 0 || schedule instanceof DeltaSchedule)) {
      throw new IllegalArgumentException("x kept with its rows (spark.per-sample-x = with-rows)"
          + " takes neither the outer momentum nor the delta schedule, which need x on the"
          + " driver");
    }
    this.params = params;
    this.schedule = schedule;
    this.momentum = momentum;
    this.domain = oracle.problem().yDomain();
    this.z = state.vector("z", state.y()).clone();
    // The previous iterates only where momentum uses them: x_prev is as long as x, which for
    // hyper-cleaning is as long as the training set.
    this.yPrev = momentum.inner() > 0 ? state.vector("y_prev", y).clone() : null;
    this.zPrev = momentum.inner() > 0 ? state.vector("z_prev", z).clone() : null;
    this.xPrev = momentum.outer() > 0 ? state.vector("x_prev", x).clone() : null;
    if (state.scalars().containsKey("delta")) {
      schedule.restore(state.scalar("delta", Double.NaN));
    }
  }

  /** F²BA with these parameters, a fresh schedule from {@code schedule} for every start. */
  public static SolverType type(F2baParameters params, Supplier<InnerSchedule> schedule) {
    return type(NAME, params, schedule, Momentum.NONE);
  }

  private static SolverType type(String name, F2baParameters params,
      Supplier<InnerSchedule> schedule, Momentum momentum) {
    return SolverType.of(name, COLUMNS,
        (oracle, state) -> new F2ba(oracle, params, schedule.get(), momentum, state));
  }

  /** F²BA from its keys, solver.f2ba.*. */
  public static SolverType fromKeys(SolverKeys keys) {
    return type(NAME, parameters(keys), schedule(keys), Momentum.NONE);
  }

  /** AccF²BA from its keys, solver.accf2ba.*: F²BA's and the two momenta. */
  public static SolverType acceleratedFromKeys(SolverKeys keys) {
    for (String key : List.of("momentum", "outer-momentum")) {
      if (keys.nonNegative(key) >= 1) {
        throw keys.invalid(key, keys.nonNegative(key) + " is not below 1");
      }
    }
    Momentum momentum = new Momentum(keys.nonNegative("momentum"),
        keys.nonNegative("outer-momentum"));
    return type(ACCELERATED, parameters(keys), schedule(keys), momentum);
  }

  private static F2baParameters parameters(SolverKeys keys) {
    return new F2baParameters(keys.positive("eta"), keys.positive("tau"), keys.positive("sigma"),
        keys.bool("restart-z"), keys.nonNegative("inner-tolerance"));
  }

  private static Supplier<InnerSchedule> schedule(SolverKeys keys) {
    if (keys.choice("schedule", Set.of("fixed", "delta")).equals("fixed")) {
      int k = keys.intAtLeast("K", 1);
      return () -> InnerSchedule.fixed(k);
    }
    double sigma = keys.positive("sigma");
    double lg = keys.positive("delta.L-g");
    double mu = keys.positive("delta.mu");
    double epsilon = keys.positive("delta.epsilon");
    double delta0 = keys.positive("delta.delta0");
    double cK = keys.positive("delta.c-k");
    double cDelta = keys.nonNegative("delta.c-delta");
    return () -> new DeltaSchedule(lg, mu, sigma, epsilon, delta0, cK, cDelta);
  }

  /** v ← v + β(v − previous) and previous ← v as it was: Nesterov's extrapolation, in place. */
  private static void extrapolate(double[] v, double[] previous, double beta) {
    for (int i = 0; i < v.length; i++) {
      double at = v[i] + beta * (v[i] - previous[i]);
      previous[i] = v[i];
      v[i] = at;
    }
  }

  /**
   * One pass, the gradients of one inner step (Algorithm 3, lines 6–7) on one draw of batches:
   * ∇y g(x, z), ∇y f(x, y) and ∇y g(x, y).
   */
  public static Derivatives[] innerGradients(BilevelOracle oracle, double[] x, double[] y,
      double[] z) {
    return oracle.evaluate(x, new double[][] {z, y}, LossRequest.lower(0).withGradY(),
        LossRequest.upper(1).withGradY(), LossRequest.lower(1).withGradY());
  }

  /**
   * One pass, the gradients of the estimate (Algorithm 3, line 9): ∇x f(x, y), ∇x g(x, y) and
   * ∇x g(x, z), both ∇x g on the same samples, as their difference is divided by σ.
   */
  public static Derivatives[] outerGradients(BilevelOracle oracle, double[] x, double[] y,
      double[] z) {
    return oracle.evaluate(x, new double[][] {y, z}, ESTIMATE);
  }

  @Override
  public OuterState next() {
    double tau = params.tau();
    double sigma = params.sigma();
    if (params.restartZ()) {
      System.arraycopy(y, 0, z, 0, y.length);
    }
    if (momentum.outer() > 0) {
      extrapolate(x, xPrev, momentum.outer());
    }
    int k = schedule.innerSteps(); // Algorithm 3, line 4
    int taken = 0;
    double normZ = Double.NaN;
    double normY = Double.NaN;
    for (; taken < k; taken++) {
      if (momentum.inner() > 0) {
        extrapolate(y, yPrev, momentum.inner());
        extrapolate(z, zPrev, momentum.inner());
      }
      Derivatives[] g = innerGradients(oracle, x, y, z);
      double[] lowerAtZ = g[0].gradY();
      double[] penaltyGrad = g[2].gradY(); // σ ∇y f + ∇y g, the gradient of the penalty h_σ
      for (int i = 0; i < penaltyGrad.length; i++) {
        penaltyGrad[i] += sigma * g[1].gradY()[i];
      }
      normZ = Vectors.norm(lowerAtZ);
      normY = Vectors.norm(penaltyGrad);
      if (normZ <= params.innerTolerance() && normY <= params.innerTolerance()) {
        break;
      }
      Vectors.descend(z, tau, lowerAtZ); // line 5
      Vectors.descend(y, tau, penaltyGrad); // line 6
      if (domain != null) { // projected steps where the problem confines y to a box
        domain.project(z);
        domain.project(y);
      }
    }
    double[] before = x == null ? null : x.clone();
    // Line 8, the estimate ∇x f + (∇x g(x, y) − ∇x g(x, z)) / σ, and line 9, the step on x
    // (where x is kept with its rows, each shard takes it on its own entries).
    XStep step = new XStep(params.eta(), (g, d) -> {
      for (int i = 0; i < d.length; i++) {
        d[i] = g[0][i] + (g[1][i] - g[2][i]) / sigma;
      }
    });
    BilevelOracle.Step h = oracle.evaluateAndStep(x, new double[][] {y, z}, step, ESTIMATE);
    if (x == null) {
      keptX = h.keptX();
    } else {
      schedule.observe(before, x); // Algorithm 3, line 11
    }
    double delta = schedule.delta();
    Map<String, double[]> vectors = new HashMap<>(Map.of("z", z));
    if (momentum.inner() > 0) {
      vectors.put("y_prev", yPrev);
      vectors.put("z_prev", zPrev);
    }
    if (momentum.outer() > 0) {
      vectors.put("x_prev", xPrev);
    }
    return report(vectors, Double.isNaN(delta) ? Map.of() : Map.of("delta", delta),
        h.direction(), h.directionNorm(), before, taken, Map.of("inner_grad_norm_z", normZ,
            "inner_grad_norm_y", normY, "delta", delta));
  }
}
