package io.prunewire.evaluation.demo;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a demo started (broker, agent, sink, temporary directories), closed once in reverse order:
 * when the run ends, or from a shutdown hook when the user stops it (Ctrl-C), so that the agent
 * still leaves its consumer group and no temporary directory stays behind.
 */
final class Resources implements AutoCloseable {

  private final Deque<AutoCloseable> open = new ArrayDeque<>();
  private final Thread hook = new Thread(this::closeFromHook, "prunewire-demo-shutdown");

  Resources() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Registers {@code resource} to be closed before everything registered earlier. */
  synchronized <T extends AutoCloseable> T add(T resource) {
    open.push(resource);
    return resource;
  }

  @Override
  public void close() throws Exception {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is exiting and the hook closes everything.
      return;
    }
    closeAll();
  }

  /**
   * Closes every resource even if some fail; the first failure is thrown with the others
   * suppressed.
   */
  synchronized void closeAll() throws Exception {
    Exception first = null;
    while (!open.isEmpty()) {
      try {
        open.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private void closeFromHook() {
    try {
      closeAll();
    } catch (Exception e) {
      System.err.println("prunewire demo: shutting down: " + e);
    }
  }
}
