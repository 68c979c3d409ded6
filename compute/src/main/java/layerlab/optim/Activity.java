package layerlab.optim;

import java.util.Locale;
import java.util.Optional;

/**
 * What the running cell is in the middle of, for the kernel's interrupt message: a loop records
 * "training `net`: step 7 of 155", and an interrupt then says what was left half done instead of
 * letting later cells silently use a barely trained network. One activity at a time (cells run one
 * at a time); it is cleared when the loop ends normally ({@link #close()}, or the last step of a
 * {@code Progress}) and by the kernel when a cell starts.
 *
 * <pre>
 * try (var a = Activity.start("training", "net", steps)) {
 *     for (int i = 0; i < steps; i++) { ...; a.step(i + 1); }
 * }
 * </pre>
 */
public final class Activity implements AutoCloseable {
    private static volatile Activity current;

    private final String what;
    private final String subject;
    private final int total;
    private volatile int done;

    private Activity(String what, String subject, int total) {
        this.what = what;
        this.subject = subject;
        this.total = total;
    }

    /**
     * Starts {@code what} ("training") of {@code subject} (a variable name, or null) over
     * {@code total} steps; replaces any earlier activity.
     */
    public static Activity start(String what, String subject, int total) {
        if (what == null || what.isBlank()) {
            throw new IllegalArgumentException("Activity: expected what it does (e.g. \"training\"), got " + what);
        }
        if (total < 1) {
            throw new IllegalArgumentException("Activity: expected total >= 1 steps, got " + total);
        }
        Activity a = new Activity(what, subject, total);
        current = a;
        return a;
    }

    /** Records that {@code stepsDone} steps are finished; the last one ends the activity. */
    public void step(int stepsDone) {
        done = stepsDone;
        if (stepsDone >= total) {
            close();
        }
    }

    public int done() {
        return done;
    }

    /** Ends this activity (it finished, or was left on purpose): an interrupt no longer names it. */
    @Override
    public void close() {
        if (current == this) {
            current = null;
        }
    }

    /** Forgets any activity (the kernel does this when a cell starts). */
    public static void clear() {
        current = null;
    }

    /** The activity in progress, if any. */
    public static Optional<Activity> current() {
        return Optional.ofNullable(current);
    }

    /** "training stopped at step 7 of 155; `net` is partly trained" (the step that was running). */
    public String interruptedNote() {
        String s = String.format(Locale.ROOT, "%s stopped at step %d of %d", what, Math.min(done + 1, total), total);
        if (subject != null && !subject.isBlank()) {
            s += "; `" + subject + "` is partly " + (what.equals("training") ? "trained" : "updated")
                    + " (" + done + " of " + total + " steps done)";
        } else {
            s += "; " + done + " of " + total + " steps were done and what they changed is left as it is";
        }
        return s;
    }

    @Override
    public String toString() {
        return what + (subject != null ? " `" + subject + "`" : "") + ": step " + done + " of " + total;
    }
}
