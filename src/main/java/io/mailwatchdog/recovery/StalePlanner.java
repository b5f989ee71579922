package io.mailwatchdog.recovery;

import io.mailwatchdog.config.StaleSettings;
import io.mailwatchdog.odoo.StaleMail;
import io.mailwatchdog.text.Texts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stale policy (DESIGN.md "Stale policy"), a pure function of the candidates, the policy and the
 * time: outgoing mail due for longer than cancel-outgoing-after is cancelled; exceptions that last
 * failed longer than exceptions-after ago are cancelled, or purged with {@code purge = true}. A mail
 * linked to no document (and no notification) is planned as a cancel from the start: Odoo refuses its
 * unlink (Fault 4), and one such mail would make the whole batch's unlink fail.
 */
public final class StalePlanner {

    /** Why a mail the policy wanted purged is cancelled instead: Odoo would refuse its unlink. */
    public static final String NO_DOCUMENT = "linked to no document (no model or res_id): Odoo refuses to delete its"
            + " message (Fault 4 AccessError)";
    static final String SCHEDULED_LATER = "scheduled for later: not due yet, never stale before it is";
    static final String NO_DATE = "no create_date or write_date to judge its age by";

    private StalePlanner() {
    }

    public static StalePlan plan(List<StaleMail> candidates, StaleSettings policy, Instant now) {
        int size = Math.max(1, policy.batchSize());
        List<StaleMail> sorted = candidates.stream().sorted(Comparator.comparingInt(StaleMail::id)).toList();
        List<Integer> cancelOutgoing = new ArrayList<>();
        List<Integer> cancelExceptions = new ArrayList<>();
        List<Integer> purgeExceptions = new ArrayList<>();
        List<Integer> noDocument = new ArrayList<>();
        Map<String, Integer> leftOutgoing = new LinkedHashMap<>();
        Map<String, Integer> leftExceptions = new LinkedHashMap<>();
        Map<String, Integer> movedOn = new LinkedHashMap<>();
        int outgoing = 0;
        int exceptions = 0;
        for (StaleMail m : sorted) {
            if ("outgoing".equals(m.state())) {
                outgoing++;
                String notStale = notStaleOutgoing(m, policy.cancelOutgoingAfter(), now);
                if (notStale == null) {
                    cancelOutgoing.add(m.id());
                } else {
                    leftOutgoing.merge(notStale, 1, Integer::sum);
                }
            } else if ("exception".equals(m.state())) {
                exceptions++;
                String notStale = notStaleException(m, policy.exceptionsAfter(), now);
                if (notStale != null) {
                    leftExceptions.merge(notStale, 1, Integer::sum);
                } else if (!policy.purge()) {
                    cancelExceptions.add(m.id());
                } else if (m.deletable()) {
                    purgeExceptions.add(m.id());
                } else {
                    noDocument.add(m.id());
                }
            } else {
                movedOn.merge(m.state() == null ? "unknown" : m.state(), 1, Integer::sum);
            }
        }
        String dueFor = "due for more than " + Texts.human(policy.cancelOutgoingAfter());
        String failed = "failed more than " + Texts.human(policy.exceptionsAfter()) + " ago";
        List<StalePlan.Batch> batches = new ArrayList<>();
        for (List<Integer> ids : chunks(cancelOutgoing, size)) {
            batches.add(new StalePlan.Batch(StalePlan.Kind.OUTGOING, StalePlan.Action.CANCEL, ids, dueFor, null));
        }
        for (List<Integer> ids : chunks(cancelExceptions, size)) {
            batches.add(new StalePlan.Batch(StalePlan.Kind.EXCEPTION, StalePlan.Action.CANCEL, ids, failed, null));
        }
        for (List<Integer> ids : chunks(noDocument, size)) {
            batches.add(new StalePlan.Batch(StalePlan.Kind.EXCEPTION, StalePlan.Action.CANCEL, ids, failed, NO_DOCUMENT));
        }
        for (List<Integer> ids : chunks(purgeExceptions, size)) {
            batches.add(new StalePlan.Batch(StalePlan.Kind.EXCEPTION, StalePlan.Action.PURGE, ids, failed, null));
        }
        StalePlan.Count out = new StalePlan.Count(StalePlan.Kind.OUTGOING, outgoing, cancelOutgoing.size(), 0, Map.of(),
                leftOutgoing);
        StalePlan.Count exc = new StalePlan.Count(StalePlan.Kind.EXCEPTION, exceptions,
                cancelExceptions.size() + noDocument.size(), purgeExceptions.size(),
                noDocument.isEmpty() ? Map.of() : Map.of(NO_DOCUMENT, noDocument.size()), leftExceptions);
        return new StalePlan(batches, out, exc, movedOn);
    }

    /** Null when stale; else why not. Due age = now − max(create_date, scheduled_date). */
    private static String notStaleOutgoing(StaleMail m, Duration after, Instant now) {
        if (m.createDate() == null) {
            return NO_DATE;
        }
        if (m.scheduledDate() != null && m.scheduledDate().isAfter(now)) {
            return SCHEDULED_LATER;
        }
        return Duration.between(m.dueSince(), now).compareTo(after) > 0 ? null
                : "due for less than " + Texts.human(after);
    }

    /** Null when stale; else why not. write_date is when the mail last failed. */
    private static String notStaleException(StaleMail m, Duration after, Instant now) {
        if (m.writeDate() == null) {
            return NO_DATE;
        }
        return Duration.between(m.writeDate(), now).compareTo(after) > 0 ? null
                : "failed less than " + Texts.human(after) + " ago";
    }

    private static List<List<Integer>> chunks(List<Integer> ids, int size) {
        List<List<Integer>> out = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += size) {
            out.add(List.copyOf(ids.subList(from, Math.min(ids.size(), from + size))));
        }
        return out;
    }
}
