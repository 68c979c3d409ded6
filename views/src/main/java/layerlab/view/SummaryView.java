package layerlab.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import layerlab.nn.Summary;
import layerlab.tensor.Shapes;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.Locale;

/**
 * A model summary as a table: layer, output shape, trainable and non-trainable parameters
 * (BatchNorm's μ_avg, σ²_avg are non-trainable state: 4 numbers per feature map in all).
 */
final class SummaryView {
    private SummaryView() {
    }

    static DisplayData summary(Summary s) {
        Table t = Table.create("summary").addColumns(StringColumn.create("#"), StringColumn.create("Layer"),
                StringColumn.create("Output shape"), LongColumn.create("Trainable"), LongColumn.create("Non-trainable"));
        for (Summary.Row r : s.rows()) {
            add(t, r.index(), "  ".repeat(r.depth()) + r.name(), Shapes.str(r.outputShape()), r.trainable(), r.nonTrainable());
        }
        add(t, "", "Total", "", s.totalTrainable(), s.totalNonTrainable());
        String head = "input " + Shapes.str(s.inputShape()) + " → output " + Shapes.str(s.outputShape());
        String totals = String.format(Locale.ROOT, "Parameters: %,d (%,d trainable, %,d non-trainable)", s.total(),
                s.totalTrainable(), s.totalNonTrainable());
        String html = Html.mono(head) + Tables.html(t, null, true) + Html.mono(totals);
        return Bundle.text(s.toString()).html(html).build();
    }

    private static void add(Table t, String index, String name, String shape, long trainable, long nonTrainable) {
        t.stringColumn(0).append(index);
        t.stringColumn(1).append(name);
        t.stringColumn(2).append(shape);
        t.longColumn(3).append(trainable);
        t.longColumn(4).append(nonTrainable);
    }
}
