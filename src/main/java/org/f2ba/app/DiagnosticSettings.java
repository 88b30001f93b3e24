package org.f2ba.app;

/**
 * Whether a run logs the true hyper-gradient next to the estimate, at every how many outer
 * iterations, and, where that needs the implicit-function formula, how accurately its linear
 * algebra is solved: ‖∇y g‖ at y*(x) and the relative CG residual at most {@code tolerance},
 * within {@code maxHessianProducts} Hessian-vector products per outer iteration; and whether
 * the run ends with a refit, y*(x_T) to ‖∇y g‖ ≤ {@code refitTolerance}.
 */
public record DiagnosticSettings(boolean exactHypergradient, int every, double tolerance,
    int maxHessianProducts, boolean refit, double refitTolerance) {
  public static final DiagnosticSettings OFF = new DiagnosticSettings(false, 1, 0, 0, false, 0);

  public static DiagnosticSettings fromConfig(RunConfig config) {
    return new DiagnosticSettings(config.bool("diagnostics.exact-hypergradient"),
        config.intAtLeast("diagnostics.every", 1), config.positive("diagnostics.tolerance"),
        config.intAtLeast("diagnostics.max-hessian-products", 1),
        config.bool("diagnostics.refit"), config.positive("diagnostics.refit-tolerance"));
  }
}
