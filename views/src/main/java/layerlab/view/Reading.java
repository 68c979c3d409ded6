package layerlab.view;

import layerlab.nn.Dropout;
import layerlab.nn.ELU;
import layerlab.nn.Layer;
import layerlab.nn.ReLU;
import layerlab.nn.Sigmoid;
import layerlab.nn.Tanh;


/**
 * What a histogram's values are, so that its two counts are named for what they mean: the exact
 * zeros (inactive ReLUs only after a ReLU; dropped units after dropout; otherwise just zeros) and
 * a band near the ends of the range (saturation only after σ, tanh or ELU, where f′ ≈ 0 there).
 *
 * @param subject      what the values are, for the title ("" when unknown)
 * @param zerosMeaning what an exact zero is, or "" when nothing is known
 * @param band         the values counted at the ends, or null for none
 */
record Reading(String subject, String zerosMeaning, Band band) {
    /**
     * Values x ≤ low or x ≥ high, named {@code name} (e.g. "saturated tanh") with the rule that
     * explains it (e.g. "tanh′ = 1 − y² ≤ 0.02").
     */
    record Band(double low, double high, String name, String why) {
        boolean contains(float v) {
            return v <= low || v >= high;
        }

        /** "x ≤ -0.99 or x ≥ 0.99"; a bound at ±∞ is left out. */
        String rule(String var) {
            String lo = Double.isInfinite(low) ? "" : var + " ≤ " + Html.num(low);
            String hi = Double.isInfinite(high) ? "" : var + " ≥ " + Html.num(high);
            return lo.isEmpty() ? hi : hi.isEmpty() ? lo : lo + " or " + hi;
        }
    }

    /** Nothing known: zeros are zeros; values inside [0, 1] or [−1, 1] get a neutral band at the ends. */
    static Reading neutral(Stats s) {
        return new Reading("", "", ends(s));
    }

    /** Values named by a label of the notebook's own ("hidden layer, after dropout"). */
    static Reading labelled(String label, Stats s) {
        return new Reading(label, "", ends(s));
    }

    /** The student's own band: "x ≤ low or x ≥ high", no meaning attached. */
    static Reading band(double low, double high) {
        return new Reading("", "", new Band(low, high, "at or beyond the thresholds", ""));
    }

    /** The output of {@code layer}: ReLU, Sigmoid, Tanh, ELU and Dropout are read; others are neutral. */
    static Reading of(Layer layer, Stats s) {
        String subject = "output of " + layer;
        if (layer instanceof ReLU) {
            return new Reading(subject, "inactive ReLUs: input ≤ 0; a channel at 0 for every input is dead", null);
        }
        if (layer instanceof Sigmoid) {
            return new Reading(subject, "", new Band(0.01, 0.99, "saturated σ", "σ′ = y(1 − y) < 0.01 there"));
        }
        if (layer instanceof Tanh) {
            return new Reading(subject, "", new Band(-0.99, 0.99, "saturated tanh", "tanh′ = 1 − y² < 0.02 there"));
        }
        if (layer instanceof ELU elu) {
            double a = elu.alpha();
            return new Reading(subject, "", new Band(-0.99 * a, Double.POSITIVE_INFINITY, "saturated ELU",
                    "ELU′ = y + α ≤ 0.01·α there, near the asymptote −α"));
        }
        if (layer instanceof Dropout d) {
            String keep = Html.num(d.keepProbability());
            return new Reading(subject, d.training() ? "dropped by the mask (a unit is kept with p = " + keep
                    + ") or zero already at the input" : "zero at the input (dropout is in eval mode: no mask)", null);
        }
        return new Reading(subject, "", ends(s));
    }

    /**
     * Values inside [0, 1] without exact zeros, or inside [−1, 1]: the share within 0.01 of the
     * ends, named neutrally. Not guessed with exact zeros: pixels, ReLU or dropout outputs in
     * [0, 1] have many, while σ never gives 0 and tanh only for an input of exactly 0.
     */
    private static Band ends(Stats s) {
        if (s.zeros() > 0 || s.finite() == 0) {
            return null;
        }
        if (s.min() >= 0 && s.max() <= 1) {
            return new Band(0.01, 0.99, "near the ends of [0, 1]", "");
        }
        if (s.min() >= -1 && s.max() <= 1) {
            return new Band(-0.99, 0.99, "near the ends of [−1, 1]", "");
        }
        return null;
    }
}
