package io.sparknn.nn;

import io.sparknn.tensor.Matrix;
import java.util.Arrays;

/**
 * The Torch {@code nn.Module} contract: a differentiable function of a {@code batch × features} matrix.
 *
 * <p>{@link #forward} computes and stores {@link #output()}; {@link #backward} = {@link #updateGradInput} +
 * {@link #accGradParameters}, and stores {@link #gradInput()}. Parameter gradients <em>accumulate</em> until
 * {@link #zeroGradParameters()}. Parameters are never separate arrays: a module's weights and their gradients
 * are a slice {@code [parameterOffset(), parameterOffset() + parameterCount())} of one flat array shared with
 * its container (a standalone module owns arrays of exactly its own size), so that a whole model is broadcast,
 * aggregated and stepped as one vector. Running statistics (batch-norm means, say) live the same way in a flat
 * {@link #state()} array. Output buffers are reused across calls: a caller that keeps an output past the next
 * {@code forward} must copy it.
 */
public abstract class Module {
  private static final double[] EMPTY = new double[0];

  protected Matrix output;
  protected Matrix gradInput;
  private boolean training = true;
  /** The container this module is in, or null: a module belongs to at most one container. */
  Module container;

  private double[] weights = EMPTY;
  private double[] grads = EMPTY;
  private int parameterOffset;
  private double[] state = EMPTY;
  private int stateOffset;

  /** Computes, stores and returns the output for {@code input}: Torch's {@code forward}. */
  public final Matrix forward(Matrix input) {
    output = updateOutput(input);
    return output;
  }

  /**
   * Back-propagates {@code gradOutput} (the loss gradient w.r.t. {@link #output()}) through the module:
   * computes and stores {@link #gradInput()} and adds the parameter gradients to {@link #gradParameters()}.
   * Must follow a {@link #forward} on the same {@code input}.
   */
  public final Matrix backward(Matrix input, Matrix gradOutput) {
    gradInput = updateGradInput(input, gradOutput);
    accGradParameters(input, gradOutput);
    return gradInput;
  }

  /** Computes the output for {@code input} (may reuse this module's buffers). */
  public abstract Matrix updateOutput(Matrix input);

  /** Computes the gradient of the loss w.r.t. {@code input}. */
  public abstract Matrix updateGradInput(Matrix input, Matrix gradOutput);

  /** Adds this batch's parameter gradients to {@link #gradParameters()}; nothing for parameter-free modules. */
  public void accGradParameters(Matrix input, Matrix gradOutput) {}

  /** Sets this module's parameter gradients to zero. */
  public void zeroGradParameters() {
    Arrays.fill(grads, parameterOffset, parameterOffset + parameterCount(), 0.0);
  }

  /** Number of trainable parameters. */
  public int parameterCount() {
    return 0;
  }

  /** Number of non-trainable state values (running statistics) that evaluation depends on. */
  public int stateCount() {
    return 0;
  }

  /** The flat array holding this module's parameters, starting at {@link #parameterOffset()}. */
  public double[] parameters() {
    return weights;
  }

  /** The flat array holding this module's parameter gradients, at the same offsets as the parameters. */
  public double[] gradParameters() {
    return grads;
  }

  /** Index of this module's first parameter in {@link #parameters()}. */
  public int parameterOffset() {
    return parameterOffset;
  }

  /** The flat array holding this module's running statistics, starting at {@link #stateOffset()}. */
  public double[] state() {
    return state;
  }

  /** Index of this module's first state value in {@link #state()}. */
  public int stateOffset() {
    return stateOffset;
  }

  /**
   * Re-initialises the parameters (and running statistics) from {@code seed}; the same seed always gives the
   * same values.
   */
  public void reset(long seed) {}

  /** Seeds this module's random source (Dropout's masks); deterministic modules ignore it. */
  public void reseed(long seed) {}

  /**
   * The number of output features for {@code inputSize} input features ({@code -1}: not known yet).
   *
   * @throws IllegalArgumentException when this module cannot take {@code inputSize} features
   */
  public int outputSize(int inputSize) {
    return inputSize;
  }

  /** Switches to training mode (Dropout active, batch statistics). */
  public void training() {
    training = true;
  }

  /** Switches to evaluation mode (Dropout off, running statistics). */
  public void evaluate() {
    training = false;
  }

  public boolean isTraining() {
    return training;
  }

  /** The output of the last {@link #forward}. */
  public Matrix output() {
    return output;
  }

  /** The input gradient of the last {@link #backward}. */
  public Matrix gradInput() {
    return gradInput;
  }

  /** Gives this module arrays of its own size, for a module that is not (yet) inside a container. */
  protected final void allocateOwnStorage() {
    bind(new double[parameterCount()], new double[parameterCount()], 0, new double[stateCount()], 0);
  }

  /**
   * Moves this module's parameters, gradients and state into the given flat arrays at the given offsets,
   * copying the current values, and re-points its views ({@link #onBind()}). Containers call this when they
   * build their flat arrays.
   */
  protected void bind(double[] newWeights, double[] newGrads, int newParameterOffset, double[] newState,
      int newStateOffset) {
    int n = parameterCount();
    int s = stateCount();
    if (weights.length >= parameterOffset + n && n > 0) {
      System.arraycopy(weights, parameterOffset, newWeights, newParameterOffset, n);
      System.arraycopy(grads, parameterOffset, newGrads, newParameterOffset, n);
    }
    if (state.length >= stateOffset + s && s > 0) {
      System.arraycopy(state, stateOffset, newState, newStateOffset, s);
    }
    setStorage(newWeights, newGrads, newParameterOffset, newState, newStateOffset);
    onBind();
  }

  /** Points this module at new flat arrays without copying (containers re-bind their children instead). */
  final void setStorage(double[] newWeights, double[] newGrads, int newParameterOffset, double[] newState,
      int newStateOffset) {
    weights = newWeights;
    grads = newGrads;
    parameterOffset = newParameterOffset;
    state = newState;
    stateOffset = newStateOffset;
  }

  /** Called after the flat arrays change: modules with parameters rebuild their weight views here. */
  protected void onBind() {}

  /** Throws {@link IllegalArgumentException} naming this module when {@code input} is not {@code ? × cols}. */
  protected final void requireInputWidth(Matrix input, int cols) {
    if (input.cols() != cols) {
      throw new IllegalArgumentException(this + " expects input of width " + cols + " but got "
          + input.shape());
    }
  }

  /** Throws {@link IllegalArgumentException} naming this module unless {@code grad} has {@code like}'s shape. */
  protected final void requireGradShape(Matrix grad, Matrix like) {
    if (grad.rows() != like.rows() || grad.cols() != like.cols()) {
      throw new IllegalArgumentException(this + " expects gradOutput of shape " + like.shape() + " but got "
          + grad.shape());
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName();
  }
}
