package io.prunewire.scorers.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.scorers.criteria.Criteria;
import io.prunewire.scorers.fusion.AdaptiveFusion;
import io.prunewire.scorers.fusion.LearnedFusion;
import io.prunewire.scorers.fusion.OutcomeFusion;
import io.prunewire.scorers.fusion.ProbedFusion;
import io.prunewire.scorers.fusion.SeedFusion;
import io.prunewire.scorers.fusion.SimpleFusion;
import io.prunewire.scorers.normalize.Normalizer;
import io.prunewire.scorers.normalize.Normalizers;
import io.prunewire.scorers.retention.CoefficientOfVariation;
import io.prunewire.scorers.retention.FixedRatio;
import io.prunewire.scorers.retention.GlobalBudget;
import io.prunewire.scorers.retention.Percentile;
import io.prunewire.scorers.retention.RetentionPolicy;
import io.prunewire.scorers.retention.TopK;
import io.prunewire.scorers.retention.TypeAware;
import io.prunewire.scorers.schedule.Cubic;
import io.prunewire.scorers.schedule.Linear;
import io.prunewire.scorers.schedule.OneShot;
import io.prunewire.scorers.schedule.Ramp;
import io.prunewire.scorers.schedule.SparsitySchedule;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CatalogTest {

  private static List<String> names(Section section) {
    return Catalog.grouped().get(section).stream()
        .map(CatalogEntry::name)
        .collect(Collectors.toList());
  }

  @Test
  void listsEveryRegisteredCriterionInRegistryOrder() {
    assertThat(names(Section.CRITERION)).containsExactlyElementsOf(Criteria.defaults().names());
    assertThat(Catalog.grouped().get(Section.CRITERION))
        .allSatisfy(
            e -> {
              assertThat(e.formula()).isNotBlank();
              assertThat(e.family()).isNotBlank();
            });
  }

  @Test
  void listsEveryNormalisationFusionRetentionAndScheduleByTheNameItAnswersTo() {
    assertThat(names(Section.NORMALISATION))
        .containsExactlyElementsOf(Normalizers.all().stream().map(Normalizer::name).toList());
    assertThat(names(Section.FUSION))
        .containsExactly(
            new SimpleFusion().name(),
            new SeedFusion().name(),
            AdaptiveFusion.withSmoothing(0.5).name(),
            LearnedFusion.create(LearnedFusion.Config.builder().build(), List.of("a")).name(),
            new ProbedFusion(List.of("a")).name(),
            OutcomeFusion.initial().name());
    List<RetentionPolicy> policies =
        List.of(
            new FixedRatio(0.5),
            new Percentile(50),
            new TopK(1),
            CoefficientOfVariation.DEFAULT,
            new TypeAware(0.5, 0.5),
            new GlobalBudget(0.5));
    assertThat(names(Section.RETENTION))
        .containsAll(policies.stream().map(RetentionPolicy::name).toList());
    Ramp ramp = new Ramp(0, 0.5, 0, 1, 1);
    List<SparsitySchedule> schedules =
        List.of(new OneShot(0, 0.5), new Linear(ramp), new Cubic(ramp));
    assertThat(names(Section.SCHEDULE))
        .containsExactlyElementsOf(schedules.stream().map(SparsitySchedule::name).toList());
  }

  @Test
  void seedFusionNamesOnlyRegisteredCriteria() {
    assertThat(Criteria.defaults().names())
        .containsAll(SeedFusion.WEIGHTS.stream().map(SeedFusion.SeedWeight::criterion).toList());
  }
}
