package layerlab.tensor;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Recycled host arrays for {@link Tensor#empty} and {@link Tensor#release}: what a caching
 * allocator (libtorch's, NumPy's) does for its outputs.
 *
 * <p>Why: the JVM zeroes every new array before anyone writes it. For a 25.7 MB output that is a
 * third of the memory traffic of ReLU (read x, write y, and the zeroing write). A kernel that
 * writes every element of its output does not need that zeroing; an array handed back with
 * {@link Tensor#release()} can be handed out again as is.
 *
 * <p>Only arrays of at least {@link #MIN_LENGTH} floats are kept (smaller ones cost little to
 * zero), at most {@link #PER_LENGTH} per length, and at most {@link #capacityBytes()} in all;
 * anything beyond is left to the garbage collector. Thread-safe.
 *
 * <p>Poison mode ({@code -Dlayerlab.poison=true}, on in the test suites): every array
 * {@link Tensor#empty} hands out is filled with NaN first, so a kernel that leaves part of its
 * output unwritten fails its tests instead of passing on zeros.
 */
public final class Buffers {
    private Buffers() {}

    /** Arrays shorter than this (64 KiB of floats) are not kept. */
    public static final int MIN_LENGTH = 1 << 14;
    /** At most this many free arrays of one length are kept. */
    public static final int PER_LENGTH = 8;

    private static final long CAPACITY = Math.min(Runtime.getRuntime().maxMemory() / 8, 1L << 30);
    private static final boolean POISON = Boolean.getBoolean("layerlab.poison");

    private static final Map<Integer, ArrayDeque<float[]>> FREE = new HashMap<>();
    private static long heldBytes;
    private static long reused;

    /** An array of exactly {@code n} floats with arbitrary values (NaN in poison mode). */
    static float[] take(int n) {
        float[] a = null;
        if (n >= MIN_LENGTH) {
            synchronized (FREE) {
                ArrayDeque<float[]> q = FREE.get(n);
                if (q != null && !q.isEmpty()) {
                    a = q.pop();
                    heldBytes -= 4L * n;
                    reused++;
                }
            }
        }
        if (a == null) {
            a = new float[n];
        }
        if (POISON) {
            java.util.Arrays.fill(a, Float.NaN);
        }
        return a;
    }

    /** Keeps {@code a} for a later {@link #take}, or leaves it to the collector. */
    static void give(float[] a) {
        if (a.length < MIN_LENGTH) {
            return;
        }
        synchronized (FREE) {
            ArrayDeque<float[]> q = FREE.computeIfAbsent(a.length, k -> new ArrayDeque<>());
            for (float[] held : q) {
                if (held == a) {
                    return; // released twice (a tensor and its reshape): keep it once
                }
            }
            if (q.size() >= PER_LENGTH || heldBytes + 4L * a.length > CAPACITY) {
                return;
            }
            q.push(a);
            heldBytes += 4L * a.length;
        }
    }

    /** Bytes held for reuse now. */
    public static long heldBytes() {
        synchronized (FREE) {
            return heldBytes;
        }
    }

    /** How many times an array was handed out again instead of allocated. */
    public static long reusedCount() {
        synchronized (FREE) {
            return reused;
        }
    }

    /** The most bytes kept for reuse (an eighth of the heap, at most 1 GiB). */
    public static long capacityBytes() {
        return CAPACITY;
    }

    /** Whether poison mode is on ({@code -Dlayerlab.poison=true}). */
    public static boolean poison() {
        return POISON;
    }

    /** Drops every array held (they go to the collector). */
    public static void clear() {
        synchronized (FREE) {
            FREE.clear();
            heldBytes = 0;
        }
    }
}
