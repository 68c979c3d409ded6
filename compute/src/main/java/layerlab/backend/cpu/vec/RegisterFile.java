package layerlab.backend.cpu.vec;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The vector register file this JVM compiles for, read once at start-up, and the GEMM micro-tile
 * it holds ({@link VecGemm#MR}). x86: 32 registers when HotSpot uses AVX-512
 * ({@code UseAVX} ≥ 3: zmm0–31, and xmm16–31 even for narrower vectors), else 16 — an AVX2
 * laptop, or an AVX-512 machine run with {@code -XX:UseAVX=2}; HotSpot lowers {@code UseAVX} to
 * what the CPU has, so the flag is the truth. AArch64: 32 (NEON and SVE alike). Anything else: 16.
 *
 * <p>{@code -Dlayerlab.gemm.rows=6|8|12} overrides the choice (the parity tests run every variant
 * on one machine this way; benchmarks compare them).
 */
public final class RegisterFile {
    private RegisterFile() {}

    /** Vector registers the JIT may allocate. */
    public static final int VECTOR_REGISTERS = count();

    /** The micro-tile rows the GEMM kernels exist for. */
    static final int[] GEMM_ROWS = {6, 8, 12};

    /**
     * Rows of the GEMM micro-tile for vectors of {@code lanes} floats: with 32 registers 8 (12 at
     * 4 lanes or fewer), with 16 registers 6. The tile is MR × 2 vectors, so it keeps 2·MR
     * accumulators, 2 vectors of B and one broadcast of A live: 15 of 16, 19 or 27 of 32.
     */
    static int gemmRows(int lanes) {
        String forced = System.getProperty("layerlab.gemm.rows", "").trim();
        if (!forced.isEmpty()) {
            for (int r : GEMM_ROWS) {
                if (forced.equals(Integer.toString(r))) {
                    return r;
                }
            }
            throw new IllegalArgumentException("-Dlayerlab.gemm.rows: expected 6, 8 or 12 (the GEMM micro-tiles"
                    + " layerlab has), got '" + forced + "'");
        }
        return rowsFor(VECTOR_REGISTERS, lanes);
    }

    /** The start-up rule, for a register file of {@code registers} and vectors of {@code lanes} floats. */
    static int rowsFor(int registers, int lanes) {
        if (registers >= 32) {
            return lanes <= 4 ? 12 : 8;
        }
        return 6;
    }

    private static int count() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (arch.equals("aarch64") || arch.equals("arm64")) {
            return 32;
        }
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            return useAvx() >= 3 ? 32 : 16;
        }
        return 16;
    }

    /** HotSpot's {@code UseAVX} as this JVM runs it; 0 where it cannot be read. */
    static int useAvx() {
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return Integer.parseInt(bean.getVMOption("UseAVX").getValue());
        } catch (RuntimeException | LinkageError e) { // not HotSpot, or jdk.management absent
            return 0;
        }
    }

    /** For the benchmark's machine line and the tests' logs: "32 vector registers, GEMM tile 8x32". */
    public static String describe() {
        return VECTOR_REGISTERS + " vector registers (UseAVX=" + useAvx() + "), GEMM micro-tile "
                + VecGemm.MR + "x" + VecGemm.NR;
    }
}
