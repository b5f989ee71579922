package io.mailwatchdog.history;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.mailwatchdog.health.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A time a check was bad: from the first probe that saw it WARN or FAIL to the first that saw it PASS again
 * ({@code to} null: not back yet; {@code seconds} then runs to the last probe seen). UNKNOWN (no verdict) neither
 * starts nor ends a spell. {@code worst} is the worst status seen during it.
 */
public record CheckSpell(String check, String worst, Instant from, Instant to, long seconds, boolean beganBeforeWindow) {

    @JsonProperty("ongoing")
    public boolean ongoing() {
        return to == null;
    }

    /**
     * The spells of every check over {@code probes} (oldest first, none after the window's end) that reach into
     * the window from {@code since}, in the order they began (checks that went bad together in the order of the lines).
     */
    static List<CheckSpell> find(List<HistoryEntry> probes, Instant since) {
        Map<String, Open> open = new LinkedHashMap<>();
        Map<String, Integer> order = new LinkedHashMap<>(); // the checks in the order the probe lines list them
        List<CheckSpell> spells = new ArrayList<>();
        Instant last = null;
        for (HistoryEntry p : probes) {
            last = p.at();
            for (Map.Entry<String, String> check : p.checks().entrySet()) {
                order.putIfAbsent(check.getKey(), order.size());
                String status = check.getValue();
                Open spell = open.get(check.getKey());
                if (bad(status)) {
                    if (spell == null) {
                        open.put(check.getKey(), new Open(p.at(), status));
                    } else {
                        spell.worst = worse(spell.worst, status);
                    }
                } else if ("PASS".equals(status) && spell != null) {
                    open.remove(check.getKey());
                    if (!p.at().isBefore(since)) {
                        spells.add(new CheckSpell(check.getKey(), spell.worst, spell.from, p.at(),
                                Duration.between(spell.from, p.at()).toSeconds(), spell.from.isBefore(since)));
                    }
                }
            }
        }
        for (Map.Entry<String, Open> still : open.entrySet()) {
            Open spell = still.getValue();
            spells.add(new CheckSpell(still.getKey(), spell.worst, spell.from, null,
                    Duration.between(spell.from, last).toSeconds(), spell.from.isBefore(since)));
        }
        spells.sort(Comparator.comparing(CheckSpell::from).thenComparing(s -> order.get(s.check())));
        return spells;
    }

    static boolean bad(String status) {
        return "WARN".equals(status) || "FAIL".equals(status);
    }

    private static String worse(String a, String b) {
        return Status.worst(Status.valueOf(a), Status.valueOf(b)).name();
    }

    private static final class Open {
        final Instant from;
        String worst;

        Open(Instant from, String worst) {
            this.from = from;
            this.worst = worst;
        }
    }
}
