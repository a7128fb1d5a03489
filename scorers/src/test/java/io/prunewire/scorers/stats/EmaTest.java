package io.prunewire.scorers.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EmaTest {
    @Test
    void equalsTheExplicitlyDiscountedMean() {
        double decay = 0.9;
        long[] steps = {3, 7, 7, 10, 4};
        double[][] values = {{1, 2}, {3, -1}, {0, 5}, {2, 2}, {-4, 1}};
        Ema ema = new Ema(2, decay);
        for (int t = 0; t < steps.length; t++) {
            ema.add(steps[t], values[t]);
        }
        assertThat(ema.step()).isEqualTo(10);
        for (int i = 0; i < 2; i++) {
            double s = 0;
            double w = 0;
            for (int t = 0; t < steps.length; t++) {
                double f = Math.pow(decay, 10 - steps[t]);
                s += f * values[t][i];
                w += f;
            }
            assertThat(Data.close(s / w, ema.value(i), 1e-12)).isTrue();
        }
    }

    @Test
    void mergeOfPartsInAnyOrderEqualsTheWhole() {
        Random random = new Random(3);
        int n = 4;
        List<long[]> stepsList = new ArrayList<>();
        List<double[]> obs = new ArrayList<>();
        Ema whole = new Ema(n, 0.97);
        for (int t = 0; t < 40; t++) {
            long step = random.nextInt(200);
            double[] x = Data.rows(random, 1, n, 1, 2);
            stepsList.add(new long[] {step});
            obs.add(x);
            whole.add(step, x);
        }
        for (int trial = 0; trial < 20; trial++) {
            List<Ema> pieces = new ArrayList<>();
            for (int[] part : Data.randomParts(random, 40, 6)) {
                Ema piece = new Ema(n, 0.97);
                for (int t = part[0]; t < part[1]; t++) {
                    piece.add(stepsList.get(t)[0], obs.get(t));
                }
                pieces.add(piece);
            }
            Collections.shuffle(pieces, random);
            Ema merged = new Ema(n, 0.97);
            pieces.forEach(merged::merge);
            assertThat(merged.step()).isEqualTo(whole.step());
            assertThat(Data.close(whole.weight(), merged.weight(), 1e-9)).isTrue();
            for (int i = 0; i < n; i++) {
                assertThat(Data.close(whole.value(i), merged.value(i), 1e-9)).isTrue();
            }
        }
        Ema restored = Ema.of(whole.decay(), whole.step(), whole.weight(), whole.sumArray());
        assertThat(restored).isEqualTo(whole);
    }

    @Test
    void floatObservationsEqualTheirWidenedDoubles() {
        Ema fromFloats = new Ema(2, 0.8);
        Ema fromDoubles = new Ema(2, 0.8);
        fromFloats.add(3, new float[] {0.1f, -2.5f});
        fromDoubles.add(3, new double[] {0.1f, -2.5f});
        assertThat(fromFloats).isEqualTo(fromDoubles);
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> new Ema(2, 0)).hasMessageContaining("decay");
        assertThatThrownBy(() -> new Ema(2, 0.5).value(0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new Ema(2, 0.5).add(1, new double[] {1, Double.NaN})).hasMessageContaining("values[1]");
        assertThatThrownBy(() -> new Ema(2, 0.5).merge(new Ema(2, 0.6))).hasMessageContaining("decay 0.6");
        assertThatThrownBy(() -> Ema.of(0.5, 1, -1, new double[1])).hasMessageContaining("weight");
    }
}
