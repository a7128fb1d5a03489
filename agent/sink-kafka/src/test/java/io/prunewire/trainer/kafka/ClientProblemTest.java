package io.prunewire.trainer.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ClientProblemTest {

  @Test
  void logsTheFirstFailureANewCauseAndThenAtMostOnceAMinuteWithTheCount() {
    Logger logger = (Logger) LoggerFactory.getLogger("ClientProblemTest");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    logger.setLevel(ch.qos.logback.classic.Level.INFO);
    lines.start();
    logger.addAppender(lines);
    AtomicLong now = new AtomicLong(); // a fake clock: no waiting
    List<Optional<String>> changes = new ArrayList<>();
    ClientProblem problem = new ClientProblem(logger, "receiver", now::get, changes::add);

    assertThat(problem.current()).isEmpty();
    for (int i = 0; i < 100; i++) {
      problem.report("refused", "retrying");
      now.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
    }
    // 100 failures in 10 s: one line, not a hundred
    assertThat(lines.list).hasSize(1);
    assertThat(lines.list.get(0).getFormattedMessage())
        .contains("receiver: refused (1 failure(s) since the last report, 1 in all)");
    assertThat(problem.current()).contains("refused");

    now.addAndGet(ClientProblem.REPEAT_NANOS);
    problem.report("refused", "retrying");
    assertThat(lines.list).hasSize(2);
    assertThat(lines.list.get(1).getFormattedMessage())
        .contains("(100 failure(s) since the last report, 101 in all)");

    problem.report("handshake failed", "retrying"); // a new cause is logged at once
    assertThat(lines.list).hasSize(3);
    assertThat(problem.current()).contains("handshake failed");

    problem.clear();
    problem.clear(); // only the end of a problem is logged
    assertThat(lines.list).hasSize(4);
    assertThat(lines.list.get(3).getFormattedMessage()).contains("working again after 102");
    assertThat(problem.current()).isEmpty();
    assertThat(changes).hasSize(103).last().isEqualTo(Optional.empty());
    logger.detachAppender(lines);
  }
}
