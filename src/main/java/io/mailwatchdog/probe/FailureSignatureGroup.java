package io.mailwatchdog.probe;

import io.mailwatchdog.odoo.FailureClass;
import java.time.Instant;
import java.util.List;

/** Exceptions that failed for the same normalised reason, within the sample of latest exceptions. */
public record FailureSignatureGroup(String signature, FailureClass failureClass, int count, Instant firstSeen,
                                    Instant lastSeen, List<Integer> exampleIds) {
}
