package layerlab.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import layerlab.nn.Parameter;

/** Helpers the optimizers share. */
final class Params {
    private Params() {}

    /** The trainable parameters, each object once, in order; at least one. */
    static List<Parameter> trainable(String optimizer, List<Parameter> params) {
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : params) {
            if (p == null) {
                throw new IllegalArgumentException(optimizer + ": expected parameters, got null in the list");
            }
            if (p.trainable() && seen.add(p)) {
                out.add(p);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(optimizer + ": expected at least one trainable parameter, got "
                    + (params.isEmpty() ? "an empty list" : params.size() + " parameters, none trainable"));
        }
        return Collections.unmodifiableList(out);
    }

    static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    static void zeroGrad(List<Parameter> params) {
        for (Parameter p : params) {
            p.zeroGrad();
        }
    }
}
