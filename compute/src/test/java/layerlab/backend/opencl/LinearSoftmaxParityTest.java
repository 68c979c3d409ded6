package layerlab.backend.opencl;

import static layerlab.backend.opencl.ClTests.parity;
import static org.junit.jupiter.api.Assertions.assertEquals;

import layerlab.backend.Indices;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Linear (the tiled GEMM), softmax, log-softmax and cross entropy on OpenCL against the CPU. */
class LinearSoftmaxParityTest {
    @Test
    void linearOnTileAlignedAndRaggedShapes() {
        int[][] shapes = {{4, 3, 2}, {33, 70, 45}, {64, 128, 64}, {2, 784, 10}};
        for (int[] s : shapes) {
            int batch = s[0], in = s[1], out = s[2];
            Tensor x = Tensor.randn(Seed.of(1), batch, in);
            Tensor a = Tensor.randn(Seed.of(2), out, in);
            Tensor bias = Tensor.randn(Seed.of(3), out);
            Tensor dy = Tensor.randn(Seed.of(4), batch, out);
            parity("Linear" + java.util.Arrays.toString(s), 2e-5, (b, on) -> {
                Tensor xx = on.apply(x), aa = on.apply(a), y = on.apply(dy).zerosLike(), dx = xx.zerosLike();
                Tensor da = on.apply(Tensor.full(0.25f, out, in)), db = on.apply(Tensor.full(-1f, out));
                b.linearForward(y, xx, aa, on.apply(bias), batch, in, out);
                b.linearBackward(dx, da, db, on.apply(dy), xx, aa, batch, in, out);
                return new Tensor[] {y, dx, da, db};
            });
        }
    }

    @Test
    void linearWithoutBias() {
        Tensor x = Tensor.randn(Seed.of(1), 5, 7);
        Tensor a = Tensor.randn(Seed.of(2), 3, 7);
        parity("Linear(no bias)", 2e-5, (b, on) -> {
            Tensor y = on.apply(Tensor.zeros(5, 3));
            b.linearForward(y, on.apply(x), on.apply(a), null, 5, 7, 3);
            return new Tensor[] {y};
        });
    }

    @Test
    void softmaxAndLogSoftmaxOverLastAndChannelAxis() {
        Tensor x = Tensor.randn(Seed.of(5), 3, 4, 5, 6).reshape(3, 4, 5, 6);
        Tensor dy = Tensor.randn(Seed.of(6), 3, 4, 5, 6);
        int[][] views = {{3 * 4 * 5, 6, 1}, {3, 4, 5 * 6}, {1, 3 * 4 * 5 * 6, 1}};
        for (int[] v : views) {
            parity("Softmax(outer, n, inner)=" + java.util.Arrays.toString(v), 1e-5, (b, on) -> {
                Tensor xx = on.apply(x), y = xx.zerosLike(), dx = xx.zerosLike();
                Tensor ly = xx.zerosLike(), ldx = xx.zerosLike();
                b.softmaxForward(y, xx, v[0], v[1], v[2]);
                b.softmaxBackward(dx, on.apply(dy), y, v[0], v[1], v[2]);
                b.logSoftmaxForward(ly, xx, v[0], v[1], v[2]);
                b.logSoftmaxBackward(ldx, on.apply(dy), ly, v[0], v[1], v[2]);
                return new Tensor[] {y, dx, ly, ldx};
            });
        }
    }

    @Test
    void logSoftmaxKeepsItsDigitsAtLogitsNearAThousand() {
        // rows near +1000 and −1000, over the last axis (work-group rows) and an inner axis (one
        // work item per row): softmax.cl computes (x − m) − log Σ; x − (m + log Σ) would be off
        // by up to ulp(1000)/2 ≈ 3e-5 everywhere (nn.SoftmaxTest shows that formula failing 2e-6)
        OpenClBackend cl = ClTests.backend();
        int[][] views = {{64, 1000, 1}, {7, 1001, 1}, {3, 7, 20}};
        for (int[] v : views) {
            Tensor x = Tensor.randn(Seed.of(8), v[0] * v[1] * v[2]);
            float[] d = x.data();
            for (int i = 0; i < d.length; i++) {
                d[i] = 3 * d[i] + ((i / (v[1] * v[2])) % 2 == 0 ? 1000f : -1000f);
            }
            Tensor y = x.zerosLike();
            ClTests.CPU.logSoftmaxForward(y, x, v[0], v[1], v[2]);
            Tensor xd = ClTests.dev(x), yd = xd.zerosLike();
            cl.logSoftmaxForward(yd, xd, v[0], v[1], v[2]);
            float[] e = y.data(), a = ClTests.host(yd).data();
            double worst = 0;
            for (int i = 0; i < e.length; i++) {
                worst = Math.max(worst, Math.abs((double) e[i] - a[i]) / Math.max(1, Math.abs(e[i])));
            }
            System.out.printf("log-softmax %s at ±1000: max |opencl − cpu| / max(1, |cpu|) = %.2e%n",
                    java.util.Arrays.toString(v), worst);
            org.junit.jupiter.api.Assertions.assertTrue(worst <= 2e-6, java.util.Arrays.toString(v) + ": " + worst);
        }
    }

    @Test
    void crossEntropyFromLogits() {
        Tensor logits = Tensor.randn(Seed.of(7), 16, 10);
        int[] labels = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 8, 7, 6, 5, 4};
        float[] loss = new float[2];
        parity("CrossEntropy", 1e-6, (b, on) -> {
            Tensor z = on.apply(logits), probs = z.zerosLike(), dz = z.zerosLike();
            Indices l = b.upload(labels);
            loss[b == ClTests.CPU ? 0 : 1] = b.crossEntropyForward(probs, z, l, 16, 10);
            b.crossEntropyBackward(dz, probs, l, 16, 10);
            return new Tensor[] {probs, dz};
        });
        System.out.printf("cross entropy: cpu %.8f opencl %.8f%n", loss[0], loss[1]);
        assertEquals(loss[0], loss[1], 1e-6 * Math.abs(loss[0]));
    }
}
