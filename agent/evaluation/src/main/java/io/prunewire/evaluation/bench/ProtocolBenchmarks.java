package io.prunewire.evaluation.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import io.prunewire.evaluation.bench.protobuf.ProtobufDecoder;
import io.prunewire.evaluation.bench.protobuf.ProtobufEncoder;
import io.prunewire.proto.Record;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.EventCodec;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Encoding and decoding one {@link ReferenceEvents} event with the hand-written codec and with
 * Protocol Buffers. {@code prunewire bench protocol} runs each (event, codec) in its own fork and
 * interleaves the codecs' forks, so a ratio compares runs that saw the same machine load.
 *
 * <p>The codecs: {@code handwritten} is {@link EventCodec}; {@code protobuf} goes from the same
 * validated events to bytes and back ({@link ProtobufEncoder}, {@link ProtobufDecoder}), which is
 * what the agent and the Java trainer would pay; {@code protobuf-message} is generated code alone:
 * {@code parseFrom} into messages nobody has checked, and {@code toByteArray} of a message built
 * once (its size memoised after the first call), the floor of what protobuf can cost.
 */
public class ProtocolBenchmarks {

  /** The codec names {@code --codecs} and the {@code codec} parameter take. */
  public static final String HANDWRITTEN = "handwritten";

  public static final String PROTOBUF = "protobuf";
  public static final String PROTOBUF_MESSAGE = "protobuf-message";

  /** One event in one codec: its value, its bytes, and the codec's two directions. */
  @State(Scope.Thread)
  public static class Wire {
    @Param({"activation", "gradient", "decision", "candidates"})
    public String event;

    @Param({HANDWRITTEN, PROTOBUF, PROTOBUF_MESSAGE})
    public String codec;

    Supplier<Object> decode;
    Supplier<byte[]> encode;

    @Setup(Level.Trial)
    public void setUp() {
      Event value = ReferenceEvents.named(event);
      Record message = ProtobufEncoder.record(value);
      byte[] handwritten = EventCodec.encode(value);
      byte[] protobuf = message.toByteArray();
      switch (codec) {
        case HANDWRITTEN -> {
          decode = () -> EventCodec.decode(handwritten);
          encode = () -> EventCodec.encode(value);
        }
        case PROTOBUF -> {
          decode = () -> ProtobufDecoder.decode(protobuf);
          encode = () -> ProtobufEncoder.encode(value);
        }
        case PROTOBUF_MESSAGE -> {
          decode = () -> parse(protobuf);
          encode = message::toByteArray;
        }
        default -> throw new IllegalArgumentException("unknown codec '" + codec + "'");
      }
    }

    private static Record parse(byte[] bytes) {
      try {
        return Record.parseFrom(bytes);
      } catch (InvalidProtocolBufferException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Bytes to a validated event (or, for {@code protobuf-message}, to a parsed message). */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Object decode(Wire w) {
    return w.decode.get();
  }

  /** A validated event (or, for {@code protobuf-message}, a built message) to bytes. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public byte[] encode(Wire w) {
    return w.encode.get();
  }
}
