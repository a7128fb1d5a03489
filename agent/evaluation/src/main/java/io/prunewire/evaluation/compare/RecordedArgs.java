package io.prunewire.evaluation.compare;

import io.prunewire.evaluation.demo.Provenance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of {@code prunewire compare} as its reports record them: an absolute {@code
 * --cache-dir} or {@code --out} becomes {@code <cache-dir>} or {@code <out>}, since a committed
 * report must not carry a local path; relative paths and every other argument stay as typed.
 */
final class RecordedArgs {

  /** The path options whose absolute values name this machine's folders. */
  private static final List<String> PATH_OPTIONS = List.of("--cache-dir", "--out");

  private RecordedArgs() {}

  static List<String> of(List<String> args) {
    List<String> recorded = new ArrayList<>(args.size());
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      int eq = a.indexOf('=');
      String name = eq < 0 ? a : a.substring(0, eq);
      if (!PATH_OPTIONS.contains(name)) {
        recorded.add(a);
      } else if (eq >= 0) {
        recorded.add(name + "=" + placeholder(name, a.substring(eq + 1)));
      } else if (i + 1 < args.size()) {
        recorded.add(a);
        recorded.add(placeholder(name, args.get(++i)));
      } else {
        recorded.add(a);
      }
    }
    return recorded;
  }

  private static String placeholder(String option, String value) {
    String name = option.substring(2);
    // a quoted ~ reaches us unexpanded: still a home folder
    return value.startsWith("~") ? "<" + name + ">" : Provenance.shown(Path.of(value), name);
  }
}
