package layerlab.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ActivityTest {
    @AfterEach
    void clear() {
        Activity.clear();
    }

    @Test
    void namesTheStepThatWasRunningAndWhatIsPartlyTrained() {
        Activity a = Activity.start("training", "net", 155);
        a.step(6);
        assertEquals("training stopped at step 7 of 155; `net` is partly trained (6 of 155 steps done)",
                Activity.current().orElseThrow().interruptedNote());
    }

    @Test
    void theLastStepAndCloseEndTheActivity() {
        Activity a = Activity.start("training", null, 3);
        a.step(2);
        assertTrue(Activity.current().isPresent());
        a.step(3);
        assertFalse(Activity.current().isPresent(), "a loop that reached its last step is not half done");
        try (Activity b = Activity.start("training", "net", 10)) {
            b.step(1);
        }
        assertFalse(Activity.current().isPresent());
    }

    @Test
    void closingAnOlderActivityLeavesTheNewerOne() {
        Activity old = Activity.start("training", "a", 5);
        Activity.start("training", "b", 5);
        old.close();
        assertTrue(Activity.current().orElseThrow().interruptedNote().contains("`b`"));
    }

    @Test
    void badArgumentsSayWhatWasExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activity.start("training", "net", 0));
        assertTrue(e.getMessage().contains("total >= 1") && e.getMessage().contains("0"), e.getMessage());
    }
}
