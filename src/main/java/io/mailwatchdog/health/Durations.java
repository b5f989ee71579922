package io.mailwatchdog.health;

import java.time.Duration;

/** Ages for people: "3 h 12 min", "45 s". */
public final class Durations {

    private Durations() {
    }

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

    public static String human(Duration d) {
        return human(d.toSeconds());
    }
}
