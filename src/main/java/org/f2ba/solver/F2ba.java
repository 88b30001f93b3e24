package org.f2ba.solver;

import java.util.Iterator;
import org.f2ba.problem.BilevelProblem;
import org.f2ba.solver.BilevelOracle.InnerGradients;
import org.f2ba.solver.BilevelOracle.OuterGradients;

/**
 * F²BA (Algorithm 2) and, with mini-batch gradients and K_t from Eq. 8, F²BSA (Algorithm 3).
 * Where the problem confines y to a box, the inner steps are projected onto it.
 * An endless iterator of outer iterations: stopping, logging and checkpoints are the caller's.
 */
public final class F2ba implements Iterator<OuterState> {
  private final BilevelOracle oracle;
  private final F2baParameters params;
  private final InnerSchedule schedule;
  private final BilevelProblem.Box domain;
  private final double[] x;
  private final double[] y;
  private final double[] z;
  private int iteration;

  public F2ba(BilevelOracle oracle, F2baParameters params, InnerSchedule schedule, double[] x0,
      double[] y0) {
    this(oracle, params, schedule, 0, x0, y0, y0); // line 1: z_0 = y_0
  }

  /** Continues after {@code iteration} outer iterations that ended at (x, y, z). */
  public F2ba(BilevelOracle oracle, F2baParameters params, InnerSchedule schedule, int iteration,
      double[] x, double[] y, double[] z) {
    this.oracle = oracle;
    this.params = params;
    this.schedule = schedule;
    this.domain = oracle.problem().yDomain();
    this.iteration = iteration;
    this.x = x.clone();
    this.y = y.clone();
    this.z = z.clone();
  }

  @Override
  public boolean hasNext() {
    return true;
  }

  @Override
  public OuterState next() {
    double tau = params.tau();
    double sigma = params.sigma();
    if (params.restartZ()) {
      System.arraycopy(y, 0, z, 0, y.length);
    }
    int k = schedule.innerSteps(); // Algorithm 3, line 4
    int taken = 0;
    double normZ = Double.NaN;
    double normY = Double.NaN;
    for (; taken < k; taken++) {
      InnerGradients g = oracle.innerGradients(x, y, z);
      double[] penaltyGrad = g.lowerAtY(); // σ ∇y f + ∇y g, the gradient of the penalty h_σ
      for (int i = 0; i < penaltyGrad.length; i++) {
        penaltyGrad[i] += sigma * g.upperAtY()[i];
      }
      normZ = Vectors.norm(g.lowerAtZ());
      normY = Vectors.norm(penaltyGrad);
      if (normZ <= params.innerTolerance() && normY <= params.innerTolerance()) {
        break;
      }
      Vectors.descend(z, tau, g.lowerAtZ()); // line 5
      Vectors.descend(y, tau, penaltyGrad); // line 6
      if (domain != null) { // projected steps where the problem confines y to a box
        domain.project(z);
        domain.project(y);
      }
    }
    OuterGradients h = oracle.outerGradients(x, y, z);
    double[] estimate = h.upperAtY(); // line 8: ∇x f + (∇x g(x, y) − ∇x g(x, z)) / σ
    for (int i = 0; i < estimate.length; i++) {
      estimate[i] += (h.lowerAtY()[i] - h.lowerAtZ()[i]) / sigma;
    }
    double[] before = x.clone();
    Vectors.descend(x, params.eta(), estimate); // line 9
    schedule.observe(before, x); // Algorithm 3, line 11
    iteration++;
    return new OuterState(iteration, x.clone(), y.clone(), z.clone(), estimate, before, taken,
        normZ, normY, schedule.delta(), oracle.oracleCalls());
  }
}
