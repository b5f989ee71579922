package io.mailwatchdog.act;

import io.mailwatchdog.journal.Journal;
import io.mailwatchdog.journal.JournalQuery;
import io.mailwatchdog.journal.JournalRecord;
import io.mailwatchdog.journal.Outcome;
import io.mailwatchdog.odoo.MailState;
import io.mailwatchdog.odoo.MailWriter;
import io.mailwatchdog.odoo.OdooException;
import io.mailwatchdog.odoo.OdooFault;
import io.mailwatchdog.recovery.RetryHistory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Puts requeued mails that were not sent back in {@code exception}, with the failure reason journaled
 * before their requeue ({@code mark_outgoing} cleared it). A requeued mail is never left outgoing once the
 * cron runs again: the cron would send it unpaced, outside the retry's canary, chunks and circuit.
 */
final class RequeueReverter {

    /** Journal detail of a requeue intent: the failure reason of each mail before it. */
    static final String REASONS = "reasons";
    /** When the journal that requeued a mail is not this one (another watchdog's state-dir). */
    static final String UNKNOWN_REASON = "requeued by odoo-mail-watchdog and not sent; its earlier failure reason"
            + " is in the journal of the watchdog that requeued it";

    private final MailWriter writer;
    private final Journal journal;
    private final UnaryOperator<String> redact;

    RequeueReverter(MailWriter writer, Journal journal, UnaryOperator<String> redact) {
        this.writer = writer;
        this.journal = journal;
        this.redact = redact;
    }

    /** @return false when a write failed (the mails may still be outgoing: the hold must stay) */
    boolean revertOutgoing(Map<Integer, MailState> states, String why, List<ActionResult> results)
            throws OdooException, IOException {
        List<Integer> outgoing = states.values().stream().filter(m -> "outgoing".equals(m.state())).map(MailState::id).toList();
        if (outgoing.isEmpty()) {
            return true;
        }
        Map<Integer, String> known = reasonsBefore(outgoing);
        Map<String, List<Integer>> byReason = new LinkedHashMap<>();
        for (Integer id : outgoing) {
            byReason.computeIfAbsent(known.getOrDefault(id, UNKNOWN_REASON), r -> new ArrayList<>()).add(id);
        }
        for (Map.Entry<String, List<Integer>> group : byReason.entrySet()) {
            long seq = journal.intent(RetryHistory.REVERT, why + ": requeued and not sent, back to exception", null,
                    group.getValue(), Map.of());
            try {
                writer.backToException(group.getValue(), group.getKey());
            } catch (OdooException e) {
                journal.outcome(seq, e instanceof OdooFault ? Outcome.FAILED : Outcome.UNKNOWN, redact.apply(e.getMessage()), Map.of());
                results.add(new ActionResult(RetryHistory.REVERT, ActionResult.FAILED, redact.apply(e.getMessage())));
                return false;
            }
            journal.outcome(seq, Outcome.DONE, null, Map.of("reverted", group.getValue().size()));
        }
        results.add(new ActionResult(RetryHistory.REVERT, ActionResult.DONE, outgoing.size()
                + " requeued mail(s) not sent, back in exception"));
        return true;
    }

    /** The reason each mail had before its latest requeue, from this journal. */
    private Map<Integer, String> reasonsBefore(List<Integer> ids) throws IOException {
        Map<Integer, String> out = new LinkedHashMap<>();
        journal.forEach(JournalQuery.all().withAction(RetryHistory.REQUEUE), r -> {
            if (r.isIntentRecord() && r.details().get(REASONS) instanceof Map<?, ?> reasons) {
                for (Integer id : ids) {
                    Object reason = reasons.get(String.valueOf(id));
                    if (reason instanceof String text) {
                        out.put(id, text);
                    }
                }
            }
        });
        return out;
    }
}
