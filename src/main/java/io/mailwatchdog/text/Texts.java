package io.mailwatchdog.text;

import java.time.Duration;

/** Text for people: durations ("3 h 12 min", "500 ms") and one-line messages. */
public final class Texts {

    private Texts() {
    }

    /** Whole seconds as the coarsest readable pair of units. */
    public static String human(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return (seconds / 60) + " min";
        }
        if (seconds < 86_400) {
            long m = (seconds % 3600) / 60;
            return (seconds / 3600) + " h" + (m > 0 ? " " + m + " min" : "");
        }
        long h = (seconds % 86_400) / 3600;
        return (seconds / 86_400) + " d" + (h > 0 ? " " + h + " h" : "");
    }

    /** A duration; below a minute with its milliseconds when they matter ("500 ms", "1500 ms"). */
    public static String human(Duration d) {
        long ms = d.toMillis();
        return ms < 60_000 && ms % 1000 != 0 ? ms + " ms" : human(d.toSeconds());
    }

    /** Collapses all white space, so that a message stays on one line. */
    public static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").strip();
    }
}
