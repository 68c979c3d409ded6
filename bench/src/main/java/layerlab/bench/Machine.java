package layerlab.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's limits, measured here at a given thread count: memory copy bandwidth (a large
 * System.arraycopy, bytes read + bytes written per second) and FP32 peak (a register-blocked
 * FMA loop in the Vector API, 2 FLOPs per lane per FMA). Each is the best of several runs.
 */
final class Machine {
    private Machine() {}

    record Limits(int threads, double copyGBs, double peakGflops) {}

    static String describe() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (java.io.IOException e) {
            cpu = "unknown CPU (" + e.getMessage() + ")";
        }
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, "
                + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit vectors; JDK "
                + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.name") + ")";
    }

    static Limits measure(int threads) throws Exception {
        return new Limits(threads, copyBandwidth(threads), fmaPeak(threads));
    }

    /**
     * GB/s of a copy over 2 × 128 MiB (far beyond the caches), counting read + write: the better
     * of System.arraycopy and a Vector API load/store loop (the kernels' own way to stream), each
     * the best of 12 runs — on this virtual machine one alone sometimes reads low.
     */
    static double copyBandwidth(int threads) throws Exception {
        int n = 32 << 20; // floats: 128 MiB per array
        float[] src = new float[n];
        float[] dst = new float[n];
        Arrays.fill(src, 1f);
        double best = 0;
        for (int rep = 0; rep < 24; rep++) {
            boolean vector = rep % 2 == 1;
            double s = onThreads(threads, t -> {
                int lo = (int) ((long) n * t / threads);
                int hi = (int) ((long) n * (t + 1) / threads);
                if (vector) {
                    vectorCopy(src, dst, lo, hi);
                } else {
                    System.arraycopy(src, lo, dst, lo, hi - lo);
                }
            });
            best = Math.max(best, 2.0 * 4 * n / s / 1e9);
        }
        return best;
    }

    private static void vectorCopy(float[] src, float[] dst, int lo, int hi) {
        int i = lo;
        for (; i <= hi - S.length(); i += S.length()) {
            FloatVector.fromArray(S, src, i).intoArray(dst, i);
        }
        System.arraycopy(src, i, dst, i, hi - i);
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** GFLOP/s of independent FMA chains on every thread (12 accumulators hide the FMA latency). */
    static double fmaPeak(int threads) throws Exception {
        long iters = 20_000_000L;
        float[] sink = new float[threads * S.length()];
        double best = 0;
        for (int rep = 0; rep < 7; rep++) {
            double s = onThreads(threads, t -> fmaLoop(iters, sink, t));
            best = Math.max(best, 2.0 * 12 * S.length() * iters * threads / s / 1e9);
        }
        return best;
    }

    private static void fmaLoop(long iters, float[] sink, int t) {
        FloatVector a = FloatVector.broadcast(S, 0.999999f);
        FloatVector b = FloatVector.broadcast(S, 1e-7f);
        FloatVector c0 = FloatVector.broadcast(S, 1f), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        FloatVector c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (long i = 0; i < iters; i++) {
            c0 = c0.fma(a, b);
            c1 = c1.fma(a, b);
            c2 = c2.fma(a, b);
            c3 = c3.fma(a, b);
            c4 = c4.fma(a, b);
            c5 = c5.fma(a, b);
            c6 = c6.fma(a, b);
            c7 = c7.fma(a, b);
            c8 = c8.fma(a, b);
            c9 = c9.fma(a, b);
            c10 = c10.fma(a, b);
            c11 = c11.fma(a, b);
        }
        FloatVector sum = c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11);
        sum.intoArray(sink, t * S.length());
    }

    interface Work {
        void run(int thread) throws Exception;
    }

    /** Seconds from the first thread's start to the last thread's end (each thread times itself). */
    static double onThreads(int threads, Work work) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        long[] begin = new long[threads];
        long[] end = new long[threads];
        List<Thread> ts = new ArrayList<>();
        Exception[] failure = new Exception[1];
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    begin[id] = System.nanoTime();
                    work.run(id);
                    end[id] = System.nanoTime();
                } catch (Exception e) {
                    failure[0] = e;
                }
            });
            th.start();
            ts.add(th);
        }
        for (Thread th : ts) {
            th.join();
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return (Arrays.stream(end).max().getAsLong() - Arrays.stream(begin).min().getAsLong()) / 1e9;
    }
}
