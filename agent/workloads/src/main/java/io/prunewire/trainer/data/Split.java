package io.prunewire.trainer.data;

/** The three Penn Treebank splits and the vendored resource each one is read from. */
public enum Split {
  TRAIN("train.txt.gz", "fcea919f6cf83f35d4d00c6cbf08040d13d4155226340912e2fef9c9c4102cbf"),
  VALID("valid.txt.gz", "c9fe6985fe0d4ccb578183407d7668fc6066c20700cb4cf87d8ff1cc34df1bf2"),
  TEST("test.txt.gz", "dd65dff31e70846b2a6030a87482edcd5d199130cdcfa1f3dccbb033728deee0");

  private final String resource;
  private final String sha256;

  Split(String resource, String sha256) {
    this.resource = resource;
    this.sha256 = sha256;
  }

  /** Gzipped resource name next to {@code SOURCE.md}. */
  String resource() {
    return resource;
  }

  /** SHA-256 of the decompressed file, as recorded in the vendored {@code SOURCE.md}. */
  String sha256() {
    return sha256;
  }
}
