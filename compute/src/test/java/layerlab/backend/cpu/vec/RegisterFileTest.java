package layerlab.backend.cpu.vec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The GEMM micro-tile chosen from the register file, and the override the parity stages use. */
class RegisterFileTest {
    @Test
    void theRuleFitsEveryTileInItsRegisterFile() {
        assertEquals(8, RegisterFile.rowsFor(32, 16), "AVX-512");
        assertEquals(8, RegisterFile.rowsFor(32, 8), "NEON/SVE at 256 bits, or AVX-512 at 256");
        assertEquals(12, RegisterFile.rowsFor(32, 4), "NEON at 128 bits");
        assertEquals(6, RegisterFile.rowsFor(16, 8), "AVX2");
        assertEquals(6, RegisterFile.rowsFor(16, 4), "SSE, or AVX2 at 128 bits");
        for (int regs : new int[] {16, 32}) {
            for (int lanes : new int[] {4, 8, 16}) {
                int live = 2 * RegisterFile.rowsFor(regs, lanes) + 2 + 1; // accumulators, B, broadcast A
                assertTrue(live <= regs, regs + " registers, " + lanes + " lanes: " + live + " live vectors");
            }
        }
    }

    @Test
    void thisJvmsChoiceIsOneOfTheKernels() {
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        String forced = System.getProperty("layerlab.gemm.rows", "");
        int expected = forced.isBlank() ? RegisterFile.rowsFor(RegisterFile.VECTOR_REGISTERS, lanes) : Integer.parseInt(forced.trim());
        assertEquals(expected, VecGemm.MR, RegisterFile.describe());
        assertEquals(2 * lanes, VecGemm.NR);
        System.out.println(System.getProperty("os.arch") + ": " + RegisterFile.describe());
    }

    @Test
    void aWrongOverrideIsNamed() {
        String old = System.getProperty("layerlab.gemm.rows");
        try {
            System.setProperty("layerlab.gemm.rows", "7");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RegisterFile.gemmRows(8));
            assertTrue(e.getMessage().contains("expected 6, 8 or 12") && e.getMessage().contains("'7'"), e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty("layerlab.gemm.rows");
            } else {
                System.setProperty("layerlab.gemm.rows", old);
            }
        }
    }
}
