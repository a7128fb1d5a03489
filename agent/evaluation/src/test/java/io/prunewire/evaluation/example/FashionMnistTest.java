package io.prunewire.evaluation.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

class FashionMnistTest {

  @Test
  void theVendoredSubsetHasItsImagesAndLabels() {
    FashionMnist data = FashionMnist.load();
    DataSet train = data.train();
    DataSet test = data.test();
    assertThat(train.getFeatures().shape()).containsExactly(7000, 784);
    assertThat(train.getLabels().shape()).containsExactly(7000, 10);
    assertThat(test.getFeatures().shape()).containsExactly(1500, 784);
    assertThat(train.getFeatures().minNumber().doubleValue()).isEqualTo(0.0);
    assertThat(train.getFeatures().maxNumber().doubleValue()).isEqualTo(1.0);
    // The first training labels of Fashion-MNIST: ankle boot, T-shirt, T-shirt, dress.
    assertThat(train.getLabels().argMax(1).toIntVector()).startsWith(9, 0, 0, 3);
    // Per-class counts of the subset, as its SOURCE.md gives their range.
    assertThat(train.getLabels().sum(0).toIntVector())
        .containsExactly(652, 754, 710, 719, 671, 699, 690, 705, 692, 708);
    assertThat(test.getLabels().sum(0).toIntVector())
        .containsExactly(153, 150, 165, 137, 179, 146, 150, 143, 140, 137);
  }

  @Test
  void validFilesParse() {
    DataSet d = FashionMnist.dataSet("i", images(2, 28, 28, 2), "l", labels(2, 3, 7));
    assertThat(d.getLabels().argMax(1).toIntVector()).containsExactly(3, 7);
    assertThat(d.getFeatures().getDouble(1, 783))
        .isEqualTo(255 / 255.0, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void aWrongMagicNumberIsNamed() {
    byte[] bad = images(1, 28, 28, 1);
    bad[3] = 0x01;
    assertThatThrownBy(() -> FashionMnist.dataSet("imgs", bad, "l", labels(1, 0)))
        .hasMessageContaining("imgs: IDX magic number is 0x00000801, expected 0x00000803");
  }

  @Test
  void aTruncatedFileIsNamed() {
    byte[] full = images(3, 28, 28, 3);
    byte[] cut = java.util.Arrays.copyOf(full, full.length - 10);
    assertThatThrownBy(() -> FashionMnist.dataSet("imgs", cut, "l", labels(3, 0, 1, 2)))
        .hasMessageContaining("imgs: the header announces 3 items")
        .hasMessageContaining("truncated or padded");
  }

  @Test
  void aShortHeaderIsNamed() {
    assertThatThrownBy(() -> FashionMnist.dataSet("i", images(1, 28, 28, 1), "lbl", new byte[5]))
        .hasMessageContaining("lbl: 5 bytes, shorter than its 8-byte IDX header");
  }

  @Test
  void imagesOfAnotherSizeAreNamed() {
    assertThatThrownBy(() -> FashionMnist.dataSet("imgs", images(1, 32, 32, 1), "l", labels(1, 0)))
        .hasMessageContaining("imgs: dimension 1 is 32, expected 28");
  }

  @Test
  void aLabelOutsideTheClassesIsNamed() {
    assertThatThrownBy(
            () -> FashionMnist.dataSet("i", images(2, 28, 28, 2), "lbl", labels(2, 4, 10)))
        .hasMessageContaining("lbl: label 1 is 10, outside 0..9");
  }

  @Test
  void differentCountsOfImagesAndLabelsAreNamed() {
    assertThatThrownBy(
            () -> FashionMnist.dataSet("imgs", images(2, 28, 28, 2), "lbl", labels(3, 0, 1, 2)))
        .hasMessageContaining("imgs holds 2 images but lbl holds 3 labels");
  }

  /** An IDX image file of {@code count} items of {@code rows × cols}, pixel value = index % 256. */
  private static byte[] images(int announced, int rows, int cols, int count) {
    ByteBuffer b = ByteBuffer.allocate(16 + count * rows * cols);
    b.putInt(0x00000803).putInt(announced).putInt(rows).putInt(cols);
    for (int i = 0; i < count * rows * cols; i++) {
      b.put((byte) (i % rows == rows - 1 ? 255 : i % 200));
    }
    return b.array();
  }

  private static byte[] labels(int announced, int... values) {
    ByteBuffer b = ByteBuffer.allocate(8 + values.length);
    b.putInt(0x00000801).putInt(announced);
    for (int v : values) {
      b.put((byte) v);
    }
    return b.array();
  }
}
