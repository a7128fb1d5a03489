package io.prunewire.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunewire.scorers.criteria.Criteria;
import io.prunewire.scorers.normalize.Normalizer;
import io.prunewire.scorers.normalize.Normalizers;
import io.prunewire.scorers.retention.CoefficientOfVariation;
import io.prunewire.scorers.retention.FixedRatio;
import io.prunewire.scorers.retention.GlobalBudget;
import io.prunewire.scorers.retention.Percentile;
import io.prunewire.scorers.retention.TopK;
import io.prunewire.scorers.retention.TypeAware;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {

  @TempDir Path dir;

  @Test
  void defaultsBindLoopbackAndStartEmbeddedBroker() {
    AgentConfig c = AgentConfig.builder().build();
    assertThat(c.bootstrapServers()).isEmpty();
    assertThat(c.metricsBind()).isEqualTo("127.0.0.1");
    assertThat(c.topics().telemetry()).isEqualTo("prunewire.telemetry");
    assertThat(c.topics().decisions()).isEqualTo("prunewire.decisions");
    assertThat(c.topics().deadLetter()).isEqualTo("prunewire.dead-letter");
  }

  @Test
  void overridesBeatEnvironmentWhichBeatsFile() throws Exception {
    Path file = dir.resolve("agent.properties");
    Files.writeString(
        file,
        "metrics.port=1111\nbarrier.timeout=5s\npartitions=3\n" + "application.id=from-file\n");
    Map<String, String> env =
        Map.of(
            "PRUNEWIRE_METRICS_PORT", "2222",
            "PRUNEWIRE_BARRIER_TIMEOUT", "PT7S",
            "PRUNEWIRE_JAVA_OPTS", "-Xmx1g",
            "HOME", "/root");
    AgentConfig c = AgentConfig.resolve(Optional.of(file), env, Map.of("metrics.port", "3333"));
    assertThat(c.metricsPort()).isEqualTo(3333);
    assertThat(c.barrierTimeout()).isEqualTo(Duration.ofSeconds(7));
    assertThat(c.topics().partitions()).isEqualTo(3);
    assertThat(c.applicationId()).isEqualTo("from-file");
  }

  @Test
  void aMisspeltEnvironmentVariableIsRefusedByName() {
    assertThatThrownBy(
            () ->
                AgentConfig.resolve(
                    Optional.empty(),
                    Map.of("PRUNEWIRE_BARRIER_TIMOUT", "30s", "PRUNEWIRE_STACK_DIR", "/tmp/s"),
                    Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PRUNEWIRE_BARRIER_TIMOUT")
        .hasMessageContaining("did you mean 'barrier.timeout'?")
        .hasMessageNotContaining("PRUNEWIRE_STACK_DIR is not");
  }

  @Test
  void unknownKeyInFileNamesKeyAndFile() throws Exception {
    Path file = dir.resolve("bad.properties");
    Files.writeString(file, "metrics.prot=1\n");
    assertThatThrownBy(() -> AgentConfig.resolve(Optional.of(file), Map.of(), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("metrics.prot")
        .hasMessageContaining(file.toString())
        .hasMessageContaining("did you mean 'metrics.port'?");
  }

  @Test
  void badValueNamesKeyAndSource() {
    assertThatThrownBy(
            () ->
                AgentConfig.resolve(
                    Optional.empty(), Map.of("PRUNEWIRE_PARTITIONS", "many"), Map.of()))
        .hasMessageContaining("partitions")
        .hasMessageContaining("PRUNEWIRE_PARTITIONS");
    assertThatThrownBy(() -> AgentConfig.builder().metricsPort(70000).build())
        .hasMessageContaining("metrics.port");
    assertThatThrownBy(() -> AgentConfig.builder().barrierTimeout(Duration.ZERO).build())
        .hasMessageContaining("barrier.timeout");
    assertThatThrownBy(() -> AgentConfig.builder().decisionsTopic("prunewire.telemetry").build())
        .hasMessageContaining("must differ");
    assertThatThrownBy(() -> AgentConfig.builder().maxMessageBytes(1000).build())
        .hasMessageContaining("max.message.bytes");
    assertThatThrownBy(() -> AgentConfig.builder().normalizer("zscore").build())
        .hasMessage("normalizer must be one of rank, robust_z, min_max, got 'zscore'");
    assertThatThrownBy(() -> AgentConfig.builder().snnRatio(1.5).build())
        .hasMessageContaining("snn.ratio");
    assertThatThrownBy(() -> AgentConfig.builder().schedule("exponential").build())
        .hasMessage("schedule must be one of trainer, one-shot, linear, cubic, got 'exponential'");
    assertThatThrownBy(() -> AgentConfig.builder().scheduleInterval(0).build())
        .hasMessageContaining("schedule.interval");
    assertThatThrownBy(() -> AgentConfig.builder().fusion("ensemble").build())
        .hasMessageContaining("fusion")
        .hasMessageContaining("ensemble");
    assertThatThrownBy(() -> AgentConfig.builder().fusion("probed").build())
        .hasMessageContaining("probed")
        .hasMessageContaining("fusion=outcome");
    assertThatThrownBy(() -> AgentConfig.builder().outcomeFraction(1.0).build())
        .hasMessageContaining("outcome.fraction");
    assertThatThrownBy(
            () -> AgentConfig.builder().set("outcome.fraction", "half", "override").build())
        .hasMessageContaining("outcome.fraction")
        .hasMessageContaining("'half'")
        .hasMessageContaining("planned");
    assertThatThrownBy(() -> AgentConfig.builder().outcomeCandidates(0).build())
        .hasMessageContaining("outcome.candidates");
    assertThatThrownBy(() -> AgentConfig.builder().outcomeMargin(-0.5).build())
        .hasMessage("outcome.margin must be >= 0, got -0.5");
    assertThatThrownBy(
            () -> AgentConfig.builder().set("outcome.start", "magnitude,size", "override").build())
        .hasMessageContaining("outcome.start: unknown criterion 'size'")
        .hasMessageContaining("taylor");
    assertThatThrownBy(() -> AgentConfig.builder().fusion("criterion:size").build())
        .hasMessageContaining("criterion:size")
        .hasMessageContaining("magnitude");
  }

  @Test
  void everyRetentionPolicyIsSelectableWithItsParameter() {
    assertThat(AgentConfig.builder().build().retention().policy(0.3))
        .isEqualTo(new TypeAware(0.3, 0.5));
    assertThat(AgentConfig.builder().retention("fixed-ratio").build().retention().policy(0.3))
        .isEqualTo(new FixedRatio(0.3));
    assertThat(AgentConfig.builder().retention("global").build().retention().policy(0.3))
        .isEqualTo(new GlobalBudget(0.3));
    assertThat(
            AgentConfig.builder()
                .retention("cv")
                .retentionCvShare(0.8)
                .build()
                .retention()
                .policy(0.3))
        .isEqualTo(new CoefficientOfVariation(0.8));
    assertThat(
            AgentConfig.builder()
                .retention("percentile")
                .retentionPercentile(25)
                .build()
                .retention()
                .policy(0.3))
        .isEqualTo(new Percentile(25));
    assertThat(
            AgentConfig.builder().retention("top-k").retentionK(7).build().retention().policy(0.3))
        .isEqualTo(new TopK(7));
    assertThatThrownBy(() -> AgentConfig.builder().retention("hap").build())
        .hasMessage(
            "retention must be one of type-aware, fixed-ratio, global, cv, percentile, top-k,"
                + " got 'hap'");
    assertThatThrownBy(() -> AgentConfig.builder().retention("top-k").retentionK(0).build())
        .hasMessageContaining("top-k");
  }

  @Test
  void oneCriterionOfTheRegistryCanDecideAlone() {
    FusionChoice f = AgentConfig.builder().fusion("criterion:magnitude").build().fusion();
    assertThat(f).isEqualTo(FusionChoice.criterion("magnitude"));
    assertThat(f.strategy()).isEqualTo(FusionChoice.Strategy.CRITERION);
    assertThat(f.settingName()).isEqualTo("criterion:magnitude");
  }

  @Test
  void topicLimitAndSigningSettingsAreGroupedInTheirRecords() throws Exception {
    AgentConfig c =
        AgentConfig.resolve(
            Optional.empty(),
            Map.of("PRUNEWIRE_DEAD_LETTER_TOPIC", "d", "PRUNEWIRE_MAX_ACTIVE_RUNS", "9"),
            Map.of(
                "telemetry.topic",
                "t",
                "decisions.topic",
                "s",
                "partitions",
                "6",
                "replication.factor",
                "2",
                "max.layers.per.run",
                "7",
                "max.neurons.per.layer",
                "8",
                "max.state.bytes.per.run",
                "1000",
                "run.retention",
                "2h"));
    assertThat(c.topics()).isEqualTo(new AgentConfig.TopicSettings("t", "s", "d", 6, (short) 2));
    assertThat(c.limits()).isEqualTo(new AgentConfig.Limits(7, 8, 9, 1000, Duration.ofHours(2)));
    assertThat(c.toBuilder().build().topics()).isEqualTo(c.topics());
    assertThat(c.toBuilder().build().limits()).isEqualTo(c.limits());
    assertThat(AgentConfig.builder().build().limits())
        .isEqualTo(new AgentConfig.Limits(1024, 65536, 256, 256L << 20, Duration.ofHours(24)));

    assertThat(c.signing()).isEmpty();
    Path key = dir.resolve("agent.pem");
    AgentConfig signed =
        AgentConfig.resolve(
            Optional.empty(),
            Map.of(),
            Map.of("signing.key.file", key.toString(), "signing.key.id", "agent-1"));
    assertThat(signed.signing()).contains(new AgentConfig.Signing(key, "agent-1"));
    assertThat(signed.toBuilder().build().signing()).isEqualTo(signed.signing());
    assertThat(signed.toString()).contains("signing key=agent-1 from " + key);
    assertThatThrownBy(() -> AgentConfig.builder().signingKeyId("agent-1").build())
        .hasMessageContaining("only signing.key.id");
  }

  @Test
  void everyFusionAndNormalizerNameRoundTrips() throws Exception {
    for (String name :
        List.of("outcome", "learned", "simple", "seed", "adaptive", "criterion:magnitude")) {
      AgentConfig c = AgentConfig.resolve(Optional.empty(), Map.of(), Map.of("fusion", name));
      assertThat(c.fusion().settingName()).isEqualTo(name);
      assertThat(FusionChoice.parse(c.fusion().settingName())).isEqualTo(c.fusion());
      assertThat(c.toString()).contains("fusion=" + name);
    }
    for (String name : Criteria.defaults().names()) {
      FusionChoice f = FusionChoice.parse("criterion:" + name);
      assertThat(f.criterion()).contains(name);
      assertThat(f.settingName()).isEqualTo("criterion:" + name);
    }
    for (NormalizerChoice n : NormalizerChoice.values()) {
      AgentConfig c =
          AgentConfig.resolve(
              Optional.empty(), Map.of("PRUNEWIRE_NORMALIZER", n.settingName()), Map.of());
      assertThat(c.normalizer()).isEqualTo(n);
      assertThat(c.normalizer().normalizer().name()).isEqualTo(n.settingName());
      assertThat(c.toString()).contains("normalizer=" + n.settingName());
    }
    assertThat(Normalizers.all().stream().map(Normalizer::name).map(NormalizerChoice::of).toList())
        .containsExactly(NormalizerChoice.values());
  }

  @Test
  void aMisspeltFusionOrNormalizerIsNamedWithTheNearestValidOne() {
    assertThatThrownBy(() -> AgentConfig.builder().fusion("adaptiv"))
        .hasMessageStartingWith("fusion must be outcome, learned, simple, seed, adaptive or")
        .hasMessageEndingWith("got 'adaptiv'; did you mean 'adaptive'?");
    assertThatThrownBy(() -> AgentConfig.builder().fusion("criterion:magnitud"))
        .hasMessageContaining("got 'criterion:magnitud'")
        .hasMessageEndingWith("; did you mean 'criterion:magnitude'?");
    assertThatThrownBy(() -> AgentConfig.builder().normalizer("robust-z"))
        .hasMessage(
            "normalizer must be one of rank, robust_z, min_max, got 'robust-z';"
                + " did you mean 'robust_z'?");
    assertThatThrownBy(
            () -> AgentConfig.resolve(Optional.empty(), Map.of(), Map.of("fusion", "sed")))
        .hasMessageContaining("'fusion'")
        .hasMessageEndingWith("got 'sed'; did you mean 'seed'?");
    assertThatThrownBy(
            () ->
                AgentConfig.resolve(
                    Optional.empty(), Map.of("PRUNEWIRE_NORMALIZER", "minmax"), Map.of()))
        .hasMessageContaining("PRUNEWIRE_NORMALIZER")
        .hasMessageEndingWith("got 'minmax'; did you mean 'min_max'?");
    assertThatThrownBy(() -> AgentConfig.builder().schedule("cubc"))
        .hasMessageEndingWith("got 'cubc'; did you mean 'cubic'?");
  }

  @Test
  void scheduleFollowsTheTrainersByDefaultOrRampsToTheTarget() {
    assertThat(AgentConfig.builder().build().schedule().sparsity()).isEmpty();
    AgentConfig linear =
        AgentConfig.builder()
            .schedule("linear")
            .targetSparsity(0.5)
            .scheduleStart(100)
            .scheduleCheckpoints(4)
            .scheduleInterval(50)
            .build();
    // From 0 at step 100 to 0.5 at step 100 + 4 * 50.
    assertThat(linear.schedule().sparsity().orElseThrow().sparsityAt(100)).isEqualTo(0.0);
    assertThat(linear.schedule().sparsity().orElseThrow().sparsityAt(200)).isEqualTo(0.25);
    assertThat(linear.schedule().sparsity().orElseThrow().sparsityAt(400)).isEqualTo(0.5);
    AgentConfig cubic = linear.toBuilder().schedule("cubic").build();
    // Zhu & Gupta: s_t = s_f + (s_i - s_f)(1 - progress)^3; halfway: 0.5 (1 - 1/8).
    assertThat(cubic.schedule().sparsity().orElseThrow().sparsityAt(200))
        .isCloseTo(0.4375, org.assertj.core.data.Offset.offset(1e-12));
    AgentConfig oneShot = linear.toBuilder().schedule("one-shot").build();
    assertThat(oneShot.schedule().sparsity().orElseThrow().sparsityAt(99)).isEqualTo(0.0);
    assertThat(oneShot.schedule().sparsity().orElseThrow().sparsityAt(100)).isEqualTo(0.5);
  }

  @Test
  void durationsAcceptUnitsAndIso() {
    assertThat(AgentConfig.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(AgentConfig.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(AgentConfig.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(AgentConfig.parseDuration("24h")).isEqualTo(Duration.ofHours(24));
    assertThat(AgentConfig.parseDuration("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
    assertThat(AgentConfig.parseDuration("P2D")).isEqualTo(Duration.ofHours(48));
    assertThatThrownBy(() -> AgentConfig.parseDuration("30")).hasMessageContaining("needs a unit");
  }

  @Test
  void runRetentionDefaultsToADayAndMustOutlastTheLongestWaitForADecision() throws Exception {
    assertThat(AgentConfig.builder().build().limits().runRetention())
        .isEqualTo(Duration.ofHours(24));
    AgentConfig c =
        AgentConfig.resolve(Optional.empty(), Map.of("PRUNEWIRE_RUN_RETENTION", "36h"), Map.of());
    assertThat(c.limits().runRetention()).isEqualTo(Duration.ofHours(36));
    assertThat(c.toBuilder().build().limits().runRetention()).isEqualTo(Duration.ofHours(36));
    assertThat(c.toString()).contains("run.retention=PT36H");
    assertThatThrownBy(() -> AgentConfig.builder().runRetention(Duration.ZERO).build())
        .hasMessageContaining("run.retention");
    // 60 s barrier + 10 s outcome timeout by default: 70 s is not enough, 71 s is.
    assertThatThrownBy(() -> AgentConfig.builder().runRetention(Duration.ofSeconds(70)).build())
        .hasMessageContaining("run.retention")
        .hasMessageContaining("barrier.timeout + outcome.timeout");
    assertThat(
            AgentConfig.builder()
                .runRetention(Duration.ofSeconds(71))
                .build()
                .limits()
                .runRetention())
        .isEqualTo(Duration.ofSeconds(71));
    assertThatThrownBy(
            () ->
                AgentConfig.resolve(
                    Optional.empty(), Map.of("PRUNEWIRE_RUN_RETENTION", "1d"), Map.of()))
        .hasMessageContaining("run.retention")
        .hasMessageContaining("PRUNEWIRE_RUN_RETENTION");
  }

  @Test
  void toBuilderRoundTripsEveryKey() throws Exception {
    AgentConfig c =
        AgentConfig.resolve(
            Optional.empty(),
            Map.of(),
            Map.of(
                "bootstrap.servers",
                "h:9092",
                "state.dir",
                dir.toString(),
                "stream.threads",
                "2",
                "cache.max.bytes",
                "1024",
                "commit.interval",
                "100ms",
                "replication.factor",
                "3",
                "protected.layers",
                "decoder, embedding",
                "normalizer",
                "min_max",
                "fusion",
                "simple"));
    AgentConfig copy = c.toBuilder().build();
    assertThat(copy.toString()).isEqualTo(c.toString());
    assertThat(copy.bootstrapServers()).contains("h:9092");
    assertThat(copy.stateDir()).isEqualTo(dir);
    assertThat(copy.streamThreads()).isEqualTo(2);
    assertThat(copy.cacheMaxBytes()).isEqualTo(1024);
    assertThat(copy.topics().replicationFactor()).isEqualTo((short) 3);
    assertThat(copy.rails().protectedLayers()).containsExactlyInAnyOrder("decoder", "embedding");
    assertThat(copy.normalizer()).isEqualTo(NormalizerChoice.MIN_MAX);
    assertThat(copy.fusion()).isEqualTo(FusionChoice.of(FusionChoice.Strategy.SIMPLE));
    assertThat(AgentConfig.builder().build().fusion()).isEqualTo(FusionChoice.OUTCOME);
    assertThat(AgentConfig.builder().build().normalizer()).isEqualTo(NormalizerChoice.RANK);
  }

  @Test
  void outcomeFractionIsAFixedShareOrTheCheckpointsPlannedOneWithAFloor() {
    CandidateFraction planned =
        AgentConfig.builder()
            .set("outcome.fraction", "planned", "override")
            .build()
            .outcome()
            .fraction();
    assertThat(planned.fixed()).isEmpty();
    assertThat(planned.toString()).isEqualTo("planned");
    assertThat(planned.at(0.29)).isEqualTo(0.29);
    assertThat(planned.at(0.01)).isEqualTo(CandidateFraction.FLOOR);
    CandidateFraction fixed =
        AgentConfig.builder()
            .set("outcome.fraction", "0.3", "override")
            .build()
            .outcome()
            .fraction();
    assertThat(fixed.at(0.01)).isEqualTo(0.3);
    assertThat(AgentConfig.builder().build().outcome().fraction().at(0.01)).isEqualTo(0.5);
  }

  @Test
  void outcomeStartAndMarginDefaultToEveryCriterionAndAnyGainAndAreSettable() {
    AgentConfig.OutcomeSettings defaults = AgentConfig.builder().build().outcome();
    AgentConfig.OutcomeSettings set =
        AgentConfig.builder()
            .set("outcome.start", " taylor, fisher ", "override")
            .set("outcome.margin", "2.5", "override")
            .build()
            .outcome();
    AgentConfig every =
        AgentConfig.builder()
            .outcomeStart(List.of("magnitude"))
            .set("outcome.start", "every", "override")
            .build();

    assertThat(defaults.start()).isEmpty();
    assertThat(defaults.margin()).isZero();
    assertThat(set.start()).containsExactly("taylor", "fisher");
    assertThat(set.margin()).isEqualTo(2.5);
    assertThat(every.outcome().start()).isEmpty();
    assertThat(every.toString()).contains("outcome.start=every, outcome.margin=0.0");
  }
}
