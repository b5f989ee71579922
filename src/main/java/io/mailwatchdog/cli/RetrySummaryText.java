package io.mailwatchdog.cli;

import io.mailwatchdog.act.RetryBatch;
import io.mailwatchdog.act.RetryRun;
import io.mailwatchdog.recovery.RetryPlan;
import java.util.List;
import java.util.stream.Collectors;

/** The plain summary of a retry: the plan per class and per chunk, what each batch did, what was left and why. */
final class RetrySummaryText {

    /** Ids printed per chunk before the rest is abbreviated. */
    static final int IDS_SHOWN = 20;

    private RetrySummaryText() {
    }

    static String render(String target, RetryRun.Summary s) {
        RetryPlan plan = s.firstPlan();
        StringBuilder b = new StringBuilder();
        boolean dry = s.stop() == RetryRun.Stop.DRY_RUN;
        b.append("retry on ").append(target).append(dry ? " (dry-run: nothing written; add --apply)" : "").append('\n');
        b.append("plan: ").append(plan.next().name().toLowerCase(java.util.Locale.ROOT)).append(" — ").append(plan.why()).append('\n');
        if (!plan.eligible().isEmpty()) {
            b.append("eligible: ").append(plan.eligible().entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                    .collect(Collectors.joining(", "))).append('\n');
        }
        if (!plan.canary().isEmpty()) {
            b.append("  canary: ").append(plan.canary().size()).append(" mail(s) ").append(ids(plan.canary())).append('\n');
        }
        for (int i = 0; i < plan.chunks().size(); i++) {
            List<Integer> chunk = plan.chunks().get(i);
            b.append("  chunk ").append(i + 1).append(": ").append(chunk.size()).append(" mail(s) ").append(ids(chunk)).append('\n');
        }
        if (!s.batches().isEmpty()) {
            b.append("done:\n");
            int chunk = 0;
            for (RetryBatch batch : s.batches()) {
                b.append("  ").append(batch.phase()).append("canary".equals(batch.phase()) ? "" : " " + ++chunk).append(": ").append(batch.requeued().size()).append(" requeued, ")
                        .append(batch.delivered()).append(" delivered (").append(batch.sent()).append(" sent, ")
                        .append(batch.gone()).append(" auto-deleted), ").append(batch.failedAgain()).append(" failed again (")
                        .append(batch.sameSignature()).append(" the same way)")
                        .append(batch.reverted() > 0 ? ", " + batch.reverted() + " not sent and back in exception" : "")
                        .append(batch.tripped() ? " — the circuit opened" : "").append('\n');
            }
            b.append("total: ").append(s.requeued()).append(" requeued, ").append(s.delivered()).append(" delivered\n");
        }
        if (!plan.left().isEmpty()) {
            b.append("left alone:\n");
            for (RetryPlan.Left l : plan.left()) {
                b.append("  ").append(l.count()).append(l.failureClass() == null ? "" : " " + l.failureClass()).append(": ")
                        .append(l.reason()).append(l.examples().isEmpty() ? "" : " (e.g. " + ids(l.examples()) + ")").append('\n');
            }
        }
        if (!dry) {
            b.append("stopped: ").append(s.stop().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '))
                    .append(s.stopDetail() == null ? "" : " — " + s.stopDetail()).append('\n');
        }
        return b.toString();
    }

    static String ids(List<Integer> ids) {
        String shown = ids.stream().limit(IDS_SHOWN).map(String::valueOf).collect(Collectors.joining(","));
        return "[" + shown + (ids.size() > IDS_SHOWN ? " +" + (ids.size() - IDS_SHOWN) + " more" : "") + "]";
    }
}
