package io.sparknn.nn;

import io.sparknn.tensor.Matrix;
import io.sparknn.tensor.Seeds;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A chain of modules applied in order, owning <em>one</em> flat parameter array, one flat gradient array and
 * one flat state array for all of them (Torch's {@code getParameters()} done once, as Spark MLlib's
 * {@code ann} does): each child's weights are views into these arrays, so {@link #parameters()} is the whole
 * model as one vector for broadcasting, aggregating and optimizer steps.
 *
 * <p>Shapes are checked as modules are added: {@code Linear 784 -> 196} followed by {@code Linear 100 -> 10}
 * throws {@link IllegalArgumentException} naming both. Errors raised inside a child during forward or backward
 * are re-thrown with the child's position. Add all modules before nesting a Sequential inside another.
 */
public class Sequential extends Module {
  private final List<Module> modules = new ArrayList<>();
  private boolean inputGradient = true;

  /**
   * Whether {@link #backward} computes the gradient w.r.t. the model's input (true by default, Torch's
   * contract). Trainers turn it off: nothing consumes it, and for the first Linear of an MLP it is a third of
   * that layer's backward work. When off, {@link #gradInput()} is null after backward.
   */
  public Sequential inputGradient(boolean needed) {
    this.inputGradient = needed;
    return this;
  }

  /** Appends {@code module} (its current parameter values are kept) and returns this, for chaining. */
  public Sequential add(Module module) {
    if (module.container != null || module == this) {
      throw new IllegalArgumentException(module.toString().strip() + " is already in a container");
    }
    int inputSize = outputSize(-1);
    try {
      module.outputSize(inputSize);
    } catch (IllegalArgumentException e) {
      Module previous = lastModuleWithKnownOutput();
      throw new IllegalArgumentException("cannot add " + module + " as module " + (modules.size() + 1)
          + " after " + (previous == null ? "the input" : previous + " (module " + (modules.indexOf(previous) + 1)
          + ")") + ": " + e.getMessage(), e);
    }
    modules.add(module);
    module.container = this;
    repack();
    return this;
  }

  /** Removes and returns module {@code index} (0-based); the remaining parameters keep their values. */
  public Module remove(int index) {
    Module removed = modules.remove(index);
    try {
      outputSize(-1);
    } catch (IllegalArgumentException e) {
      modules.add(index, removed);
      throw new IllegalArgumentException("cannot remove module " + (index + 1) + " (" + removed
          + "): its neighbours do not fit together: " + e.getMessage(), e);
    }
    // The removed module gets arrays of its own again, with its values.
    removed.container = null;
    removed.allocateOwnStorage();
    repack();
    return removed;
  }

  /**
   * The flat parameters followed by the flat running statistics, in a new array: the whole model as one
   * vector, which is what a trainer broadcasts and what evaluation or inference elsewhere loads.
   */
  public double[] weightsAndState() {
    double[] w = parameters();
    double[] s = state();
    double[] all = new double[w.length + s.length];
    System.arraycopy(w, 0, all, 0, w.length);
    System.arraycopy(s, 0, all, w.length, s.length);
    return all;
  }

  /** Module {@code index} (0-based). */
  public Module get(int index) {
    return modules.get(index);
  }

  /** Number of modules. */
  public int size() {
    return modules.size();
  }

  /** The modules, in order (read-only). */
  public List<Module> modules() {
    return Collections.unmodifiableList(modules);
  }

  private Module lastModuleWithKnownOutput() {
    return modules.isEmpty() ? null : modules.get(modules.size() - 1);
  }

  private void repack() {
    if (container != null) {
      throw new IllegalStateException("this Sequential is inside another container; add or remove modules "
          + "before nesting it");
    }
    int n = 0;
    int s = 0;
    for (Module m : modules) {
      n += m.parameterCount();
      s += m.stateCount();
    }
    bind(new double[n], new double[n], 0, new double[s], 0);
  }

  @Override
  protected void bind(double[] newWeights, double[] newGrads, int newParameterOffset, double[] newState,
      int newStateOffset) {
    setStorage(newWeights, newGrads, newParameterOffset, newState, newStateOffset);
    int p = newParameterOffset;
    int s = newStateOffset;
    for (Module m : modules) {
      m.bind(newWeights, newGrads, p, newState, s);
      p += m.parameterCount();
      s += m.stateCount();
    }
  }

  @Override
  public int parameterCount() {
    int n = 0;
    for (Module m : modules) {
      n += m.parameterCount();
    }
    return n;
  }

  @Override
  public int stateCount() {
    int n = 0;
    for (Module m : modules) {
      n += m.stateCount();
    }
    return n;
  }

  @Override
  public Matrix updateOutput(Matrix input) {
    Matrix x = input;
    for (int i = 0; i < modules.size(); i++) {
      Module m = modules.get(i);
      try {
        x = m.forward(x);
      } catch (RuntimeException e) {
        throw rethrow(e, i, "forward");
      }
    }
    return x;
  }

  @Override
  public Matrix updateGradInput(Matrix input, Matrix gradOutput) {
    Matrix g = gradOutput;
    int first = inputGradient ? 0 : 1;
    for (int i = modules.size() - 1; i >= first; i--) {
      Module m = modules.get(i);
      Matrix in = i == 0 ? input : modules.get(i - 1).output;
      try {
        m.gradInput = m.updateGradInput(in, g);
      } catch (RuntimeException e) {
        throw rethrow(e, i, "backward");
      }
      g = m.gradInput;
    }
    if (!inputGradient && !modules.isEmpty()) {
      modules.get(0).gradInput = null;
      return null;
    }
    return g;
  }

  @Override
  public void accGradParameters(Matrix input, Matrix gradOutput) {
    for (int i = modules.size() - 1; i >= 0; i--) {
      Module m = modules.get(i);
      Matrix in = i == 0 ? input : modules.get(i - 1).output;
      Matrix g = i == modules.size() - 1 ? gradOutput : modules.get(i + 1).gradInput;
      try {
        m.accGradParameters(in, g);
      } catch (RuntimeException e) {
        throw rethrow(e, i, "backward");
      }
    }
  }

  private RuntimeException rethrow(RuntimeException e, int i, String phase) {
    String msg = "In module " + (i + 1) + " (" + modules.get(i) + ") of Sequential, " + phase + ": "
        + e.getMessage();
    return e instanceof IllegalArgumentException ? new IllegalArgumentException(msg, e)
        : new IllegalStateException(msg, e);
  }

  @Override
  public void reset(long seed) {
    for (int i = 0; i < modules.size(); i++) {
      modules.get(i).reset(Seeds.mix(seed, i));
    }
  }

  @Override
  public void reseed(long seed) {
    for (int i = 0; i < modules.size(); i++) {
      modules.get(i).reseed(Seeds.mix(seed, i));
    }
  }

  @Override
  public int outputSize(int inputSize) {
    int size = inputSize;
    for (int i = 0; i < modules.size(); i++) {
      try {
        size = modules.get(i).outputSize(size);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("module " + (i + 1) + " (" + modules.get(i) + "): " + e.getMessage(), e);
      }
    }
    return size;
  }

  @Override
  public void training() {
    super.training();
    for (Module m : modules) {
      m.training();
    }
  }

  @Override
  public void evaluate() {
    super.evaluate();
    for (Module m : modules) {
      m.evaluate();
    }
  }

  /** The modules, one per line, as the homework prints a network. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Module m : modules) {
      sb.append(m).append('\n');
    }
    return sb.toString();
  }
}
