package io.mailwatchdog.recovery;

import io.mailwatchdog.odoo.FailureClass;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a retry does next on one target, and what it leaves alone and why. Dry-run prints it whole.
 *
 * @param next       what may run now
 * @param until      for {@link Next#WAIT}: when it may run again; else null
 * @param why        {@code next} in words (gate, circuit, pace, quota)
 * @param canary     the canary's mail ids when {@code next} is CANARY (the newest eligible)
 * @param chunks     every chunk of the remaining eligible mail, in order (after the canary when there is
 *                   one); each chunk runs under its own hold, paced
 * @param eligible   eligible mails per class
 * @param left       mails left alone, per reason
 * @param signatures the failure signature of each planned mail before its retry, to tell "failed again
 *                   the same way" from a new failure
 */
public record RetryPlan(String target, Next next, Instant until, String why, List<Integer> canary,
                        List<List<Integer>> chunks, Map<FailureClass, Integer> eligible, List<Left> left,
                        Map<Integer, String> signatures) {

    public enum Next {
        /** Nothing is eligible. */
        NOTHING,
        /** Requeue and send the canary; chunks only after it passed. */
        CANARY,
        /** Requeue and send the first chunk. */
        CHUNK,
        /** Eligible mail waits: pace, daily quota, or an open circuit cooling down. */
        WAIT,
        /** Refused: the gate failed (a server test fails, or none passed since the failures began). */
        REFUSED
    }

    /** Mails left alone for one reason: how many, which class, a few example ids. */
    public record Left(FailureClass failureClass, String reason, int count, List<Integer> examples) {
        public Left {
            examples = List.copyOf(examples);
        }
    }

    public RetryPlan {
        canary = List.copyOf(canary);
        chunks = chunks.stream().map(List::copyOf).toList();
        eligible = Map.copyOf(eligible);
        left = List.copyOf(left);
        signatures = Map.copyOf(signatures);
    }

    /** Mails the plan would requeue in all, canary included. */
    public int planned() {
        return canary.size() + chunks.stream().mapToInt(List::size).sum();
    }

    /** The ids to requeue now: the canary, or the first chunk; empty when nothing may run now. */
    public List<Integer> batchNow() {
        return switch (next) {
            case CANARY -> canary;
            case CHUNK -> chunks.isEmpty() ? List.of() : chunks.get(0);
            default -> List.of();
        };
    }
}
