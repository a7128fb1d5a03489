package io.prunewire.cli;

import io.prunewire.protocol.DecisionSignatures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code prunewire keygen}: an Ed25519 key pair for signing decisions. */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description = {
      "Writes an Ed25519 key pair with which the agent signs its decisions: DIR/ID.key (private,"
          + " PKCS#8 PEM, readable by its owner only) and DIR/ID.pub (public, X.509 PEM).",
      "The agent signs with --signing-key DIR/ID.key --signing-key-id ID; trainers verify with"
          + " --decision-key ID=DIR/ID.pub (repeatable: during a key rotation they hold the old and"
          + " the new key).",
      "",
      "Example: prunewire keygen --key-id agent-2026-12 --out /etc/prunewire",
      ""
    })
final class KeygenCommand implements Callable<Integer> {

  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  @Option(
      names = "--key-id",
      required = true,
      paramLabel = "ID",
      description =
          "Name of the key, sent with every signature (letters, digits, '.', '_', '-'; e.g. a date).")
  String keyId;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Directory to write the two files to. Default: ${DEFAULT-VALUE}.")
  Path out = Path.of(".");

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!KEY_ID.matcher(keyId).matches()) {
      throw new ParameterException(
          spec.commandLine(),
          "--key-id '"
              + keyId
              + "': use 1 to 64 letters, digits, '.', '_' or '-' (it names the files and travels in a record header)");
    }
    Path privateFile = out.resolve(keyId + ".key");
    Path publicFile = out.resolve(keyId + ".pub");
    for (Path f : new Path[] {privateFile, publicFile}) {
      if (Files.exists(f)) {
        throw new ParameterException(spec.commandLine(), f + " exists; a key is never overwritten");
      }
    }
    Files.createDirectories(out);
    KeyPair pair = DecisionSignatures.generate();
    Files.createFile(
        privateFile,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(privateFile, DecisionSignatures.privatePem(pair.getPrivate()));
    Files.writeString(publicFile, DecisionSignatures.publicPem(pair.getPublic()));
    spec.commandLine()
        .getOut()
        .printf(
            "wrote %s (private: give it to the agent only) and %s%n"
                + "agent:    --signing-key %s --signing-key-id %s%n"
                + "trainers: --decision-key %s=%s%n",
            privateFile, publicFile, privateFile, keyId, keyId, publicFile);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
