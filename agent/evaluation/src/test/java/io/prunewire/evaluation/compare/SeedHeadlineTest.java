package io.prunewire.evaluation.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.evaluation.demo.RecoveryWindows;
import io.prunewire.trainer.model.Evaluation;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedHeadlineTest {

  private static CompareSettings settings(long seed, int trainSteps, Path out) {
    return settings(seed, trainSteps, AgentArm.defaults(trainSteps), out);
  }

  private static CompareSettings settings(long seed, int trainSteps, AgentArm arm, Path out) {
    return settings(seed, trainSteps, arm, null, out);
  }

  private static CompareSettings settings(
      long seed, int trainSteps, AgentArm arm, Path reuseFrom, Path out) {
    return new CompareSettings(
        32,
        16,
        16,
        trainSteps,
        1000,
        50,
        1,
        0,
        6,
        8,
        3,
        4,
        4,
        List.of("hap"),
        List.of(0.5),
        List.of(0.5),
        2,
        arm,
        List.of(32),
        seed,
        List.of(1L, 2L, 3L),
        true,
        false,
        out.resolve("cache"),
        reuseFrom,
        out);
  }

  private static SeedHeadline.Result result(CompareSettings s) {
    HeadlineRows.Row row =
        new HeadlineRows.Row(
            s.seed(), 300.0, 310.0, "taylor", 400.0, 390.0, 200.0, 260.0, 230.0, 240.0);
    CompareResult.Model model =
        new CompareResult.Model("m", 32, 16, 16, 64, 1000, 40, 200.0, false, 12.5, "compare-x");
    Evaluation e = new Evaluation(new double[] {10.5, 11.25}, new long[] {5, 6});
    return new SeedHeadline.Result(
        s.headlineIdentity(),
        s.seed(),
        row,
        model,
        List.of(new CompareResult.Pruning("outcome", "fusion", 0.5, 32, 300.0, null)),
        List.of(new CompareResult.Schedule("agent", "a", 39, 32, 230.0, 9.0)),
        Map.of("default", e),
        "taylor + fisher",
        42.0,
        Map.of("outcome", "mean of [taylor, fisher]"));
  }

  @Test
  void aStoredSeedIsReadBackWithItsWindows(@TempDir Path dir) throws Exception {
    CompareSettings s = settings(2, 40, dir);
    SeedHeadline.store(result(s), dir);

    SeedHeadline.Result back = SeedHeadline.stored(s).orElseThrow();

    assertThat(back.row()).isEqualTo(result(s).row());
    assertThat(back.checkpoint()).isEqualTo(result(s).checkpoint());
    assertThat(back.schedules()).isEqualTo(result(s).schedules());
    assertThat(back.evaluations().get("default").nll()).containsExactly(10.5, 11.25);
    assertThat(back.evaluations().get("default").tokens()).containsExactly(5L, 6L);
    assertThat(back.evaluations().get("default").perplexity()).isEqualTo(Math.exp(21.75 / 11));
  }

  @Test
  void aSeedMeasuredWithOtherSettingsOrAnotherSeedIsNotReused(@TempDir Path dir) throws Exception {
    SeedHeadline.store(result(settings(2, 40, dir)), dir);

    assertThat(SeedHeadline.stored(settings(2, 80, dir))).isEmpty();
    assertThat(SeedHeadline.stored(settings(3, 40, dir))).isEmpty();
    assertThat(SeedHeadline.stored(settings(2, 40, dir))).isPresent();
  }

  @Test
  void aSeedMeasuredWithAnotherAgentArmIsNotReusedAndTheFirstDefaultArmKeepsTheOldIdentity(
      @TempDir Path dir) throws Exception {
    SeedHeadline.store(result(settings(2, 40, dir)), dir);

    assertThat(SeedHeadline.stored(settings(2, 40, new AgentArm("outcome", 0), dir))).isEmpty();
    assertThat(SeedHeadline.stored(settings(2, 40, new AgentArm("outcome", 4), dir))).isEmpty();
    assertThat(SeedHeadline.stored(settings(2, 40, new AgentArm("criterion:fisher", 0), dir)))
        .isEmpty();
    // Seed results stored before the arm was selectable carry no arm in their identity: the
    // default arm of then, 4 (a tenth of 40) recovery steps on test windows.
    assertThat(settings(2, 40, new AgentArm("outcome", 4), dir).headlineIdentity())
        .doesNotContain("agentFusion");
    assertThat(AgentArm.defaults(40)).isEqualTo(new AgentArm("outcome", 4, RecoveryWindows.TRAIN));
    assertThat(settings(2, 40, new AgentArm("criterion:fisher", 0), dir).headlineIdentity())
        .endsWith(", agentFusion=criterion:fisher, recoverySteps=0");
    assertThat(
            settings(2, 40, new AgentArm("outcome", 4, RecoveryWindows.TRAIN), dir)
                .headlineIdentity())
        .endsWith(", agentFusion=outcome, recoverySteps=4, recoveryWindows=train");
  }

  @Test
  void anotherAgentArmReusesEverythingButTheAgentArmOfASeedMeasuredWithTheDefaultOne(
      @TempDir Path dir) throws Exception {
    Path earlier = dir.resolve("earlier");
    SeedHeadline.Result measured = result(settings(2, 40, earlier.resolve("seed-2")));
    measured =
        measured.with(
            new MeasuredArm(
                new CompareResult.Schedule("gradual-magnitude", "g", 39, 32, 235.0, 8.0),
                new Evaluation(new double[] {11.0}, new long[] {2})),
            8.0);
    SeedHeadline.store(measured, earlier.resolve("seed-2"));
    Files.createDirectories(earlier.resolve("seed-2/schedule-gradual-magnitude"));
    Files.writeString(earlier.resolve("seed-2/schedule-gradual-magnitude/report.md"), "gmp");
    Files.createDirectories(earlier.resolve("seed-2/schedule-agent"));
    Files.writeString(earlier.resolve("seed-2/schedule-agent/report.md"), "agent");
    AgentArm fisher = new AgentArm("criterion:fisher", 0);
    Path variant = dir.resolve("variant/seed-2");
    CompareSettings s = settings(2, 40, fisher, earlier, variant);

    SeedHeadline.Result reused =
        SeedHeadline.reusable(s, new PrintStream(OutputStream.nullOutputStream())).orElseThrow();

    assertThat(reused.identity()).isEqualTo(s.headlineIdentity());
    assertThat(reused.has("agent")).isFalse();
    assertThat(reused.has("gradual-magnitude")).isTrue();
    assertThat(reused.row().duringDefault()).isNull();
    assertThat(reused.row().duringGmp()).isEqualTo(235.0);
    assertThat(reused.evaluations()).doesNotContainKey("during_default").containsKey("during_gmp");
    assertThat(reused.pruning()).isEqualTo(measured.pruning());
    assertThat(variant.resolve("schedule-gradual-magnitude/report.md")).hasContent("gmp");
    assertThat(variant.resolve("schedule-agent")).doesNotExist();
    // A seed measured with the first default arm (no arm in its identity) is reused the same way.
    Path older = dir.resolve("older");
    SeedHeadline.store(
        result(settings(2, 40, new AgentArm("outcome", 4), older.resolve("seed-2"))),
        older.resolve("seed-2"));
    assertThat(
            SeedHeadline.reusable(
                    settings(2, 40, AgentArm.defaults(40), older, dir.resolve("new/seed-2")),
                    new PrintStream(OutputStream.nullOutputStream()))
                .orElseThrow()
                .has("agent"))
        .isFalse();
    // Measured with other settings (another budget): nothing is reused.
    assertThat(
            SeedHeadline.reusable(
                settings(2, 80, fisher, earlier, variant),
                new PrintStream(OutputStream.nullOutputStream())))
        .isEmpty();
  }

  @Test
  void aSeedIsCompleteOnlyWithEveryArmAndEachArmFillsItsColumn(@TempDir Path dir) {
    CompareSettings s = settings(2, 40, dir);
    SeedHeadline.Result oneShot =
        new SeedHeadline.Result(
            s.headlineIdentity(),
            2,
            HeadlineRows.row(2, "outcome", result(s).pruning(), List.of()),
            result(s).checkpoint(),
            result(s).pruning(),
            List.of(new CompareResult.Schedule("dense", "d", 40, 64, 200.0, 1.0)),
            Map.of(),
            "taylor",
            10.0,
            null);
    Evaluation small = new Evaluation(new double[] {20.0}, new long[] {4});

    SeedHeadline.Result withSmall =
        oneShot.with(
            new MeasuredArm(
                new CompareResult.Schedule("small-dense", "s", 39, 32, Math.exp(5.0), 3.0), small),
            3.0);

    assertThat(oneShot.complete()).isFalse();
    assertThat(withSmall.complete()).isFalse();
    assertThat(withSmall.has("small-dense")).isTrue();
    assertThat(withSmall.row().smallDense()).isEqualTo(Math.exp(5.0));
    assertThat(withSmall.row().duringDefault()).isNull();
    assertThat(withSmall.row().dense()).isEqualTo(200.0);
    assertThat(withSmall.evaluations()).containsKey("small_dense");
    assertThat(withSmall.seconds()).isEqualTo(13.0);
    SeedHeadline.Result all =
        withSmall
            .with(
                new MeasuredArm(
                    new CompareResult.Schedule("agent", "a", 39, 32, 230.0, 9.0), small),
                9.0)
            .with(
                new MeasuredArm(
                    new CompareResult.Schedule("gradual-magnitude", "g", 39, 32, 240.0, 9.0),
                    small),
                9.0);
    assertThat(all.complete()).isTrue();
    assertThat(all.row().duringGmp()).isEqualTo(240.0);
  }

  @Test
  void aResultStoredWithoutTodaysScorersNamesThemAndKeepsItsArmsOnAFreshOneShotPart(
      @TempDir Path dir) {
    CompareSettings s = settings(2, 40, dir);
    SeedHeadline.Result old = result(s);
    assertThat(old.missingScorers())
        .contains("outcome_best", "outcome_top3", "probed", "taylor")
        .doesNotContain("outcome");

    Evaluation fresh = new Evaluation(new double[] {1.0}, new long[] {1});
    SeedHeadline.Result oneShot =
        new SeedHeadline.Result(
            s.headlineIdentity(),
            2,
            HeadlineRows.row(
                2,
                "outcome",
                List.of(new CompareResult.Pruning("outcome", "fusion", 0.5, 32, 290.0, null)),
                List.of()),
            old.checkpoint(),
            List.of(new CompareResult.Pruning("outcome", "fusion", 0.5, 32, 290.0, null)),
            List.of(new CompareResult.Schedule("dense", "d", 40, 64, 200.0, 1.0)),
            Map.of("default", fresh),
            "fisher",
            5.0,
            Map.of("outcome", "mean of [fisher]"));

    SeedHeadline.Result merged = old.armsOnto(oneShot);

    assertThat(merged.row().defaultFusion()).isEqualTo(290.0);
    assertThat(merged.row().duringDefault()).as("the agent arm measured before").isEqualTo(230.0);
    assertThat(merged.schedules())
        .extracting(CompareResult.Schedule::arm)
        .containsExactly("dense", "agent");
    assertThat(merged.evaluations().get("default")).isSameAs(fresh);
    assertThat(merged.evaluations().get("during_default"))
        .isNull(); // result(s) kept no window of its arm
    assertThat(merged.fusions()).containsEntry("outcome", "mean of [fisher]");
    assertThat(merged.seconds()).isEqualTo(47.0);
  }
}
