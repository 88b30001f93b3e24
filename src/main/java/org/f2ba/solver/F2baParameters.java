package org.f2ba.solver;

/**
 * Step sizes and penalty of Algorithms 2 and 3: η for x, τ for y and z, σ the penalty weight;
 * {@code restartZ} starts z from y at every outer step instead of warm-starting it;
 * {@code innerTolerance} ends the inner loop early once both inner gradients are smaller
 * (0: never).
 */
public record F2baParameters(double eta, double tau, double sigma, boolean restartZ,
    double innerTolerance) {
}
