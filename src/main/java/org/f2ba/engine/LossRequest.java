package org.f2ba.engine;

import java.io.Serializable;

/**
 * One loss sum that an evaluation computes: the loss of {@code role} (G for LOWER, F otherwise)
 * at the point {@code point} of the evaluation, with the gradients asked for, over the current
 * mini-batch of that role, or over all its samples when {@code fullData} is set. All requests of
 * one role in one evaluation see the same samples.
 */
public record LossRequest(DataRole role, int point, boolean gradX, boolean gradY,
    boolean fullData) implements Serializable {
}
