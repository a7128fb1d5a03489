package io.prunewire.evaluation.example;

import io.prunewire.trainer.data.VendoredResource;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The vendored Fashion-MNIST subset (Xiao, Rasul &amp; Vollgraf 2017, MIT licence; the first 7,000
 * training and 1,500 test images, see its {@code SOURCE.md}): 28 × 28 grey-scale images of ten
 * clothing classes, read from the IDX files as the dataset ships them. Every file is checked
 * against its recorded checksum, then its IDX header (magic number, item count, image size) and
 * content (labels 0 to 9, as many labels as images) are validated with an error that names the file
 * and what is wrong.
 *
 * <p>Features are rows of 784 pixels scaled to [0, 1]; labels are one-hot rows of 10.
 */
public final class FashionMnist {

  public static final int CLASSES = 10;
  public static final int SIDE = 28;
  public static final int PIXELS = SIDE * SIDE;

  private static final String DIR = "/io/prunewire/evaluation/example/data/fashionmnist/";
  private static final int IMAGES_MAGIC = 0x00000803;
  private static final int LABELS_MAGIC = 0x00000801;

  private final DataSet train;
  private final DataSet test;

  private FashionMnist(DataSet train, DataSet test) {
    this.train = train;
    this.test = test;
  }

  /** The vendored subset: 7,000 training and 1,500 test images. */
  public static FashionMnist load() {
    return new FashionMnist(
        dataSet(
            "train",
            "d470acbc03694eba60b7954a4da964c3df51a299aa7ee4a75c38481ede5a07ce",
            "5e0faa0c945ddf85bcaeaca6826ecc4dba8067a00edfe57c3c6473319375ce1e"),
        dataSet(
            "t10k",
            "21f4b004e12783f8beb95a798acf7fe22d1c61740d7169f9a11fbb99acc83e4e",
            "fc6189ac5267018632102b271afb9c10b293ad8a18f0876585c0c930de3aa202"));
  }

  /** The training images, a copy. */
  public DataSet train() {
    return train.copy();
  }

  /** The test images, a copy. */
  public DataSet test() {
    return test.copy();
  }

  private static DataSet dataSet(String prefix, String imagesSha256, String labelsSha256) {
    String imagesFile = prefix + "-images-idx3-ubyte.gz";
    String labelsFile = prefix + "-labels-idx1-ubyte.gz";
    byte[] images =
        VendoredResource.read("Fashion-MNIST " + imagesFile, DIR + imagesFile, imagesSha256);
    byte[] labels =
        VendoredResource.read("Fashion-MNIST " + labelsFile, DIR + labelsFile, labelsSha256);
    return dataSet(imagesFile, images, labelsFile, labels);
  }

  /**
   * Images and labels of decompressed IDX files, validated.
   *
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  static DataSet dataSet(String imagesFile, byte[] images, String labelsFile, byte[] labels) {
    byte[] pixels = idx(imagesFile, images, IMAGES_MAGIC, new int[] {SIDE, SIDE});
    byte[] classes = idx(labelsFile, labels, LABELS_MAGIC, new int[0]);
    int n = classes.length;
    if (pixels.length / PIXELS != n) {
      throw new IllegalArgumentException(
          imagesFile
              + " holds "
              + pixels.length / PIXELS
              + " images but "
              + labelsFile
              + " holds "
              + n
              + " labels");
    }
    float[] features = new float[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      features[i] = (pixels[i] & 0xff) / 255f;
    }
    float[] oneHot = new float[n * CLASSES];
    for (int i = 0; i < n; i++) {
      int c = classes[i] & 0xff;
      if (c >= CLASSES) {
        throw new IllegalArgumentException(
            labelsFile + ": label " + i + " is " + c + ", outside 0.." + (CLASSES - 1));
      }
      oneHot[i * CLASSES + c] = 1;
    }
    INDArray x = Nd4j.create(features, new long[] {n, PIXELS}, 'c');
    INDArray y = Nd4j.create(oneHot, new long[] {n, CLASSES}, 'c');
    return new DataSet(x, y);
  }

  /**
   * The items of an IDX file of unsigned bytes: a big-endian header of the magic number ({@code
   * 0x0000 08 d}: unsigned bytes, {@code d} dimensions), the item count and the size of each
   * further dimension, then the items.
   */
  private static byte[] idx(String file, byte[] bytes, int magic, int[] itemShape) {
    int headerBytes = 4 * (2 + itemShape.length);
    if (bytes.length < headerBytes) {
      throw new IllegalArgumentException(
          file
              + ": "
              + bytes.length
              + " bytes, shorter than its "
              + headerBytes
              + "-byte IDX header");
    }
    ByteBuffer header = ByteBuffer.wrap(bytes, 0, headerBytes);
    int actualMagic = header.getInt();
    if (actualMagic != magic) {
      throw new IllegalArgumentException(
          String.format(
              "%s: IDX magic number is 0x%08x, expected 0x%08x (unsigned bytes, %d dimensions)",
              file, actualMagic, magic, itemShape.length + 1));
    }
    int count = header.getInt();
    if (count < 0) {
      throw new IllegalArgumentException(file + ": negative item count " + count);
    }
    int itemBytes = 1;
    for (int d = 0; d < itemShape.length; d++) {
      int size = header.getInt();
      if (size != itemShape[d]) {
        throw new IllegalArgumentException(
            file
                + ": dimension "
                + (d + 1)
                + " is "
                + size
                + ", expected "
                + itemShape[d]
                + " (images of "
                + SIDE
                + " x "
                + SIDE
                + ")");
      }
      itemBytes *= size;
    }
    long expected = headerBytes + (long) count * itemBytes;
    if (bytes.length != expected) {
      throw new IllegalArgumentException(
          file
              + ": the header announces "
              + count
              + " items ("
              + expected
              + " bytes), the file has "
              + bytes.length
              + " bytes (truncated or padded)");
    }
    return Arrays.copyOfRange(bytes, headerBytes, bytes.length);
  }
}
