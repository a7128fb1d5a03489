package io.prunewire.evaluation.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourcesTest {

  @Test
  void closesInReverseOrderOnceAndReportsEveryFailure() throws Exception {
    List<String> closed = new ArrayList<>();
    Resources resources = new Resources();
    resources.add(() -> closed.add("dir"));
    resources.add(
        () -> {
          closed.add("broker");
          throw new IllegalStateException("broker");
        });
    resources.add(
        () -> {
          closed.add("agent");
          throw new IllegalStateException("agent");
        });
    resources.add(() -> closed.add("sink"));
    assertThatThrownBy(resources::close)
        .hasMessage("agent")
        .satisfies(
            e ->
                assertThat(e.getSuppressed())
                    .extracting(Throwable::getMessage)
                    .containsExactly("broker"));
    assertThat(closed).containsExactly("sink", "agent", "broker", "dir");
    resources.closeAll();
    assertThat(closed).as("nothing is closed twice").hasSize(4);
  }
}
