package io.prunewire.evaluation.compare;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code results.json}: the whole {@link CompareResult} as Jackson writes records. A {@code null}
 * stays {@code null}; a double that is NaN or infinite (e.g. a perplexity that overflowed) is also
 * written as {@code null}, because JSON has no token for it.
 */
final class CompareJson {

  static final String FILE = "results.json";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .registerModule(
              new SimpleModule("finite-doubles")
                  .addSerializer(Double.class, new FiniteDouble())
                  .addSerializer(Double.TYPE, new FiniteDouble()));

  private CompareJson() {}

  static void write(CompareResult result, Path dir) throws IOException {
    JSON.writeValue(dir.resolve(FILE).toFile(), result);
  }

  /** Writes finite doubles as numbers and the others as {@code null}. */
  private static final class FiniteDouble extends StdSerializer<Double> {

    FiniteDouble() {
      super(Double.class);
    }

    @Override
    public void serialize(Double value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      if (Double.isFinite(value)) {
        gen.writeNumber(value);
      } else {
        gen.writeNull();
      }
    }
  }
}
