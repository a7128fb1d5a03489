package io.prunewire.trainer.model;

import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * SGD with classic (heavy-ball) momentum as PyTorch's {@code torch.optim.SGD(momentum=μ)}, which
 * the reference trains with: {@code v ← μ·v + g}, {@code w ← w − lr·v} ({@code v} starts at 0, so
 * the first step is {@code lr·g}). DL4J only ships Nesterov momentum. The learning rate follows a
 * schedule (the reference halves it every 25 epochs).
 */
public final class MomentumSgd implements IUpdater {
  private ISchedule learningRateSchedule;
  private double learningRate;
  private double momentum;

  /** Jackson (DL4J's configuration JSON) needs a no-argument constructor. */
  public MomentumSgd() {}

  public MomentumSgd(ISchedule learningRateSchedule, double momentum) {
    this.learningRateSchedule =
        Objects.requireNonNull(learningRateSchedule, "learningRateSchedule");
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException(
          "MomentumSgd: momentum must be in [0, 1), got " + momentum);
    }
    this.momentum = momentum;
  }

  public double getMomentum() {
    return momentum;
  }

  @Override
  public long stateSize(long numParams) {
    return numParams;
  }

  @Override
  public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
    Updater updater = new Updater(this);
    updater.setStateViewArray(
        viewArray, viewArray.shape(), viewArray.ordering(), initializeViewArray);
    return updater;
  }

  @Override
  public GradientUpdater instantiate(
      Map<String, INDArray> updaterState, boolean initializeStateArrays) {
    Updater updater = new Updater(this);
    updater.setState(updaterState, initializeStateArrays);
    return updater;
  }

  @Override
  public MomentumSgd clone() {
    MomentumSgd copy = new MomentumSgd();
    copy.learningRateSchedule = learningRateSchedule == null ? null : learningRateSchedule.clone();
    copy.learningRate = learningRate;
    copy.momentum = momentum;
    return copy;
  }

  @Override
  public double getLearningRate(int iteration, int epoch) {
    return learningRateSchedule != null
        ? learningRateSchedule.valueAt(iteration, epoch)
        : learningRate;
  }

  @Override
  public boolean hasLearningRate() {
    return true;
  }

  @Override
  public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
    this.learningRate = lr;
    this.learningRateSchedule = lrSchedule;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MomentumSgd m
        && m.momentum == momentum
        && m.learningRate == learningRate
        && Objects.equals(m.learningRateSchedule, learningRateSchedule);
  }

  @Override
  public int hashCode() {
    return Objects.hash(learningRateSchedule, learningRate, momentum);
  }

  /** The per-block state: velocity {@code v}, a view of DL4J's flattened updater state. */
  private static final class Updater implements GradientUpdater<MomentumSgd> {
    private static final String VELOCITY = "V";
    private final MomentumSgd config;
    private INDArray velocity;

    Updater(MomentumSgd config) {
      this.config = config;
    }

    @Override
    public MomentumSgd getConfig() {
      return config;
    }

    @Override
    public void setState(Map<String, INDArray> state, boolean initialize) {
      INDArray v = state.get(VELOCITY);
      if (v == null || state.size() != 1) {
        throw new IllegalStateException(
            "MomentumSgd: state must hold exactly the key " + VELOCITY + ", got " + state.keySet());
      }
      velocity = v;
      if (initialize) {
        velocity.assign(0);
      }
    }

    @Override
    public Map<String, INDArray> getState() {
      return Map.of(VELOCITY, velocity);
    }

    @Override
    public void setStateViewArray(
        INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
      if (initialize) {
        viewArray.assign(0);
      }
      velocity = viewArray.reshape(gradientOrder, gradientShape);
    }

    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
      if (velocity == null) {
        throw new IllegalStateException("MomentumSgd: updater state not initialised");
      }
      velocity.muli(config.momentum).addi(gradient);
      gradient.assign(velocity).muli(config.getLearningRate(iteration, epoch));
    }
  }
}
