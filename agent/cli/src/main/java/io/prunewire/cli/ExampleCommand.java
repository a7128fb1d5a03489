package io.prunewire.cli;

import io.prunewire.evaluation.example.Example;
import io.prunewire.evaluation.example.ExampleSettings;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code prunewire example}: Prunewire on two user networks that are not the project's models. */
@Command(
    name = "example",
    mixinStandardHelpOptions = true,
    description = {
      "Prunewire on your own kind of network: trains two plain DL4J MultiLayerNetworks built by the"
          + " example's code, each with the PruningListener attached through its public API"
          + " (PruningListener.forNetwork(net)...heldOut(...), as in the README's \"Prune your own"
          + " network\"), and lets a running agent prune them over Kafka:",
      "  1. an LSTM language model on WikiText-2 (embedding, two LSTM layers, softmax);",
      "  2. an MLP of two ReLU DenseLayers on Fashion-MNIST images.",
      "It starts an embedded single-node Kafka (KRaft) broker on 127.0.0.1 and the agent (its"
          + " /metrics address is printed), then trains the networks one after the other: dense"
          + " training, then a cubic schedule of checkpoints at which the agent decides which"
          + " hidden neurons go and the listener applies the masks, then fine-tuning. For each network"
          + " it prints the parameters, the test perplexity (LM) or accuracy (MLP) before pruning,"
          + " right after each checkpoint and after fine-tuning, and the neurons pruned per layer.",
      "Profiles: --quick (1.5 to 3.2 minutes measured on two cores busy with other jobs, load"
          + " average 13 to 17): LM embedding 32, 2 x 64 LSTM,"
          + " vocabulary 1,000, 150 steps of 32 x 35 tokens, test perplexity on the first 10,000"
          + " test tokens; MLP 784-128-64-10, 240 steps of 64 images; 2 checkpoints to 50 %%."
          + " Default (7.6 minutes on that machine): LM embedding 48, 2 x 96 LSTM, vocabulary 3,000, 360"
          + " steps, 30,000 test tokens; MLP 784-256-128-10, 720 steps; 3 checkpoints to 50 %%.",
      "Schedule: with S steps and C checkpoints, a checkpoint follows every E = S / (C + 1) steps"
          + " (E dense steps before the first), then E - 1 fine-tune steps, one short of a further"
          + " checkpoint. Removals per checkpoint follow a cubic schedule (Zhu & Gupta 2017) over"
          + " both hidden layers together; the agent chooses which neurons and from which layer.",
      "Data (vendored with the launcher, see their SOURCE.md): WikiText-2 (Merity et al. 2016, CC"
          + " BY-SA), all of it, read in windows that each start from a zero state; the first 7,000"
          + " training and 1,500 test images of Fashion-MNIST (Xiao et al. 2017, MIT), of which the"
          + " last 1,000 training images are the held-out batch of the probes (the LM's is a"
          + " validation window). The test data is used for the reported metrics only.",
      "On a machine with far more busy threads than cores, OMP_NUM_THREADS=1 can make ND4J's"
          + " training steps many times faster.",
      "",
      "Examples:",
      "  prunewire example --quick",
      "  prunewire example",
      "  prunewire example --quick --vocabulary 5000 --checkpoints 3 --target 0.7",
      ""
    })
public final class ExampleCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--quick", description = "The small profile (see above).")
  boolean quick;

  @Option(
      names = "--vocabulary",
      paramLabel = "N",
      description =
          "The LM's vocabulary: the N most frequent training words, the rest read as <unk>; 33278"
              + " or more keeps all of WikiText-2's (default: 1000 with --quick, else 3000).")
  Integer vocabulary;

  @Option(
      names = "--lm-steps",
      paramLabel = "N",
      description = "Training steps of the language model (default: 150 with --quick, else 360).")
  Integer lmSteps;

  @Option(
      names = "--mlp-steps",
      paramLabel = "N",
      description = "Training steps of the MLP (default: 240 with --quick, else 720).")
  Integer mlpSteps;

  @Option(
      names = "--checkpoints",
      paramLabel = "N",
      description = "Pruning checkpoints per network (default: 2 with --quick, else 3).")
  Integer checkpoints;

  @Option(
      names = "--target",
      paramLabel = "FRACTION",
      description =
          "Share of each network's hidden neurons removed by the last checkpoint, in (0, 1)"
              + " (default: 0.5).")
  Double target;

  @Option(names = "--seed", description = "Seed of the weights and the probes (default: 1).")
  Long seed;

  @Override
  public Integer call() throws Exception {
    ExampleSettings settings;
    try {
      settings =
          (quick ? ExampleSettings.quick() : ExampleSettings.standard())
              .with(vocabulary, lmSteps, mlpSteps, checkpoints, target, seed);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    long start = System.nanoTime();
    var reports = Example.run(settings, System.out);
    reports.forEach(r -> r.print(System.out));
    System.out.printf(
        java.util.Locale.ROOT, "%nexample finished in %.0f s%n", (System.nanoTime() - start) / 1e9);
    return 0;
  }
}
