package layerlab.backend.cpu.vec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * Proves which vector width a test run used. {@code ./lab test} runs the SIMD parity suites again
 * at every width the machine can emulate ({@code -XX:UseAVX=2}: 256-bit vectors and AVX2's 16
 * registers on an AVX-512 machine; {@code -XX:MaxVectorSize=16}: 128-bit vectors) and passes the
 * width it asked for as {@code -Dlayerlab.expectVectorBits=N}; this test fails when the JVM gave
 * another width, so a stage whose flag was lost cannot pass as if it had run.
 */
class VectorWidthTest {
    @Test
    void theFastPathsRunAtTheWidthThisStageAskedFor() {
        int bits = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        String expected = System.getProperty("layerlab.expectVectorBits");
        System.out.println("preferred float species: " + bits + "-bit (" + FloatVector.SPECIES_PREFERRED.length()
                + " lanes); layerlab.expectVectorBits=" + expected + "; " + RegisterFile.describe());
        assertTrue(bits == 64 || bits == 128 || bits == 256 || bits == 512,
                "the preferred species should be 64, 128, 256 or 512 bits wide, got " + bits);
        // the kernels size their tiles from the same species
        assertEquals(0, VecGemm.NR % FloatVector.SPECIES_PREFERRED.length(),
                "VecGemm's micro-tile width " + VecGemm.NR + " should be whole vectors of the preferred species");
        String rows = System.getProperty("layerlab.expectGemmRows");
        if (rows != null && !rows.isBlank()) {
            assertEquals(Integer.parseInt(rows.trim()), VecGemm.MR,
                    "this stage expected a GEMM micro-tile of " + rows + " rows (-Dlayerlab.expectGemmRows) but "
                            + RegisterFile.describe() + " chose " + VecGemm.MR);
        }
        if (expected != null && !expected.isBlank()) {
            assertEquals(Integer.parseInt(expected.trim()), bits,
                    "this stage asked for " + expected + "-bit vectors (-Dlayerlab.expectVectorBits) but the JVM's"
                            + " preferred species is " + bits + "-bit: the -XX flag did not reach the test JVM");
        }
    }
}
