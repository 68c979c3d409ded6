package layerlab.kernel.magic;

import io.github.spencerpark.jupyter.kernel.magic.registry.LineMagicFunction;
import java.util.List;

/** {@code %lsmagic}: prints the names of the line and cell magics. */
final class LsMagic implements LineMagicFunction<Object> {
    private final LabMagics magics;

    LsMagic(LabMagics magics) {
        this.magics = magics;
    }

    @Override
    public Object execute(List<String> args) {
        System.out.println("line magics: " + String.join(" ", magics.lineNames().stream().map(n -> "%" + n).toList()));
        System.out.println("cell magics: " + String.join(" ", magics.cellNames().stream().map(n -> "%%" + n).toList()));
        return null;
    }
}
