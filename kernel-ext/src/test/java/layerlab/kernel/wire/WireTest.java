package layerlab.kernel.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireTest {
    private static List<byte[]> message(Wire wire) {
        JsonObject content = new JsonObject();
        content.addProperty("code", "1 + 2");
        return wire.encode(List.of("client-id".getBytes(StandardCharsets.UTF_8)), "execute_request", null, null, content);
    }

    @Test
    void aSignedMessageRoundTrips() throws Exception {
        Wire wire = new Wire("hmac-sha256", "secret");
        Wire.Message m = wire.decode(message(wire));
        assertEquals("execute_request", m.type());
        assertEquals("1 + 2", m.content().get("code").getAsString());
        assertEquals("client-id", new String(m.identities().get(0), StandardCharsets.UTF_8));
    }

    @Test
    void theSignatureIsTheHexHmacSha256OfTheFourParts() throws Exception {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
        Wire wire = new Wire("hmac-sha256", "Jefe");
        byte[] sig = wire.sign("what do ya want ".getBytes(StandardCharsets.US_ASCII), "for nothing?".getBytes(StandardCharsets.US_ASCII));
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", new String(sig, StandardCharsets.US_ASCII));
    }

    @Test
    void aWrongSignatureIsRejected() throws Exception {
        Wire client = new Wire("hmac-sha256", "other-key");
        Wire kernel = new Wire("hmac-sha256", "secret");
        Wire.BadMessageException e = assertThrows(Wire.BadMessageException.class, () -> kernel.decode(message(client)));
        assertEquals("invalid signature", e.getMessage());
    }

    @Test
    void aTamperedContentIsRejected() throws Exception {
        Wire wire = new Wire("hmac-sha256", "secret");
        List<byte[]> frames = new ArrayList<>(message(wire));
        frames.set(frames.size() - 1, "{\"code\": \"System.exit(0)\"}".getBytes(StandardCharsets.UTF_8));
        assertThrows(Wire.BadMessageException.class, () -> wire.decode(frames));
    }

    @Test
    void aMissingSignatureIsRejected() throws Exception {
        Wire wire = new Wire("hmac-sha256", "secret");
        List<byte[]> frames = new ArrayList<>(message(wire));
        frames.set(2, new byte[0]); // [id, delimiter, signature, ...]
        Wire.BadMessageException e = assertThrows(Wire.BadMessageException.class, () -> wire.decode(frames));
        assertEquals("missing signature", e.getMessage());
    }

    @Test
    void brokenFramingIsRejectedNotThrown() throws Exception {
        Wire wire = new Wire("hmac-sha256", "secret");
        assertThrows(Wire.BadMessageException.class, () -> wire.decode(List.of("x".getBytes(StandardCharsets.UTF_8))));
        List<byte[]> frames = new ArrayList<>(message(wire));
        frames.remove(frames.size() - 1);
        Wire.BadMessageException e = assertThrows(Wire.BadMessageException.class, () -> wire.decode(frames));
        assertTrue(e.getMessage().contains("expected at least 5"), e.getMessage());
    }

    @Test
    void withAnEmptyKeyNothingIsSigned() throws Exception {
        Wire wire = new Wire("hmac-sha256", "");
        List<byte[]> frames = message(wire);
        assertEquals(0, frames.get(2).length);
        assertEquals("execute_request", wire.decode(frames).type());
    }
}
