package layerlab.kernel.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CellStreamsTest {
    @Test
    void outputIsCutOnlyBetweenUtf8Characters() {
        byte[] b = "aé€".getBytes(StandardCharsets.UTF_8); // 1 + 2 + 3 bytes
        assertEquals(6, CellStreams.completeUtf8(b));
        assertEquals(3, CellStreams.completeUtf8(Arrays.copyOf(b, 5)));
        assertEquals(3, CellStreams.completeUtf8(Arrays.copyOf(b, 4)));
        assertEquals(1, CellStreams.completeUtf8(Arrays.copyOf(b, 2)));
    }
}
