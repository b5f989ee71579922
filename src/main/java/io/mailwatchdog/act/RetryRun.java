package io.mailwatchdog.act;

import io.mailwatchdog.config.RetrySettings;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.health.CheckIds;
import io.mailwatchdog.journal.Journal;
import io.mailwatchdog.journal.JournalQuery;
import io.mailwatchdog.journal.Outcome;
import io.mailwatchdog.lock.LockLost;
import io.mailwatchdog.lock.LockValue;
import io.mailwatchdog.odoo.FailedMail;
import io.mailwatchdog.odoo.FailureSignature;
import io.mailwatchdog.odoo.MailFailureClassifier;
import io.mailwatchdog.odoo.MailQueueFlusher;
import io.mailwatchdog.odoo.MailState;
import io.mailwatchdog.odoo.MailWriter;
import io.mailwatchdog.odoo.OdooException;
import io.mailwatchdog.odoo.OdooFault;
import io.mailwatchdog.odoo.OdooSession;
import io.mailwatchdog.odoo.RetryCandidateReader;
import io.mailwatchdog.probe.ServerSnapshot;
import io.mailwatchdog.recovery.RetryHistory;
import io.mailwatchdog.recovery.RetryPlan;
import io.mailwatchdog.recovery.RetryPlanner;
import io.mailwatchdog.recovery.RetryRequest;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Runs the safe retry on one target: plan ({@link RetryPlanner}, pure), then the canary and the chunks,
 * each under its own hold of the flush protocol: hold recorded, cron held, mails re-read (still in
 * exception), requeue journaled with their failure reasons, {@code mark_outgoing}, {@code
 * process_email_queue} on their ids, settle and verify, unsent ones back to exception, cron restored.
 * A batch that fails again opens the circuit, and nothing more is requeued.
 */
public final class RetryRun {

    /** Exceptions read for one plan at most; a larger backlog is worked through over several runs. */
    public static final int MAX_CANDIDATES = 100_000;
    /** Reasons journaled before a requeue (mark_outgoing clears them) are cut to this length. */
    static final int REASON_CHARS = 2000;

    /** Why a run stopped. */
    public enum Stop { NOTHING_LEFT, WAITING, REFUSED, CIRCUIT_OPEN, LOCK_BUSY, UNSETTLED, FAILED, BATCH_LIMIT, STOPPING, DRY_RUN }

    /** What a run planned first, what each batch did, and why it stopped. */
    public record Summary(RetryPlan firstPlan, RetryPlan lastPlan, List<RetryBatch> batches, Stop stop, String stopDetail,
                          List<ActionResult> results) {
        public Summary {
            batches = List.copyOf(batches);
            results = List.copyOf(results);
        }

        public int requeued() {
            return batches.stream().mapToInt(b -> b.requeued().size()).sum();
        }

        public int delivered() {
            return batches.stream().mapToInt(RetryBatch::delivered).sum();
        }
    }

    private final TargetSettings target;
    private final TargetWriter writer;
    private final OdooSession session;
    private final Journal journal;
    private final Clock clock;
    private final Pause pause;
    private final UnaryOperator<String> redact;
    private int candidateLimit = MAX_CANDIDATES;
    /** Each distinct failure reason classified once per run, not before every batch. */
    private final RetryPlanner.Memo memo = new RetryPlanner.Memo();
    /** One per run: it reads the ICP that limits a process_email_queue call once, not per batch. */
    private final MailQueueFlusher flusher;

    public RetryRun(TargetSettings target, TargetWriter writer, OdooSession session, Journal journal, Clock clock,
                    Pause pause, UnaryOperator<String> redact) {
        this.target = target;
        this.writer = writer;
        this.session = session;
        this.journal = journal;
        this.clock = clock;
        this.pause = pause;
        this.redact = redact;
        this.flusher = new MailQueueFlusher(session);
    }

    /** Reads at most this many exceptions (newest first) for the plan. */
    public RetryRun withCandidateLimit(int limit) {
        this.candidateLimit = Math.max(1, Math.min(limit, MAX_CANDIDATES));
        return this;
    }

    /**
     * @param apply      false: plan only (dry-run), nothing written
     * @param maxBatches batches in this run at most (the daemon's share of a tick)
     * @param maxWait    how long the run may wait for the pace between batches (0: it stops instead)
     */
    public Summary run(RetryRequest request, List<ServerSnapshot> servers, boolean apply, int maxBatches, Duration maxWait)
            throws IOException, OdooException {
        RetrySettings policy = target.retry();
        RetryCandidateReader reader = new RetryCandidateReader(session);
        Instant now = serverNow();
        Instant createdSince = now.minus(policy.maxAge());
        List<FailedMail> candidates = new ArrayList<>(reader.createdSince(createdSince, candidateLimit));
        int older = reader.countCreatedBefore(createdSince);
        RetryPlan first = plan(request, candidates, older, servers, now);
        List<RetryBatch> batches = new ArrayList<>();
        List<ActionResult> results = new ArrayList<>();
        if (!apply) {
            return new Summary(first, first, batches, Stop.DRY_RUN, first.why(), results);
        }
        RetryPlan plan = first;
        Set<Integer> done = new HashSet<>();
        while (true) {
            switch (plan.next()) {
                case NOTHING -> {
                    return new Summary(first, plan, batches, Stop.NOTHING_LEFT, plan.why(), results);
                }
                case REFUSED -> {
                    return new Summary(first, plan, batches, Stop.REFUSED, plan.why(), results);
                }
                case WAIT -> {
                    boolean circuit = plan.why().startsWith("the circuit is open");
                    Duration wait = plan.until() == null ? maxWait.plusDays(1) : Duration.between(clock.instant(), plan.until());
                    if (circuit || wait.compareTo(maxWait) > 0 || writer.stopping()) {
                        return new Summary(first, plan, batches, circuit ? Stop.CIRCUIT_OPEN : Stop.WAITING, plan.why(), results);
                    }
                    try {
                        pause.sleep(wait.isNegative() ? Duration.ZERO : wait);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return new Summary(first, plan, batches, Stop.STOPPING, "interrupted", results);
                    }
                }
                default -> {
                    // consecutive batches under one lock: each take and release of the lock row costs Odoo a cache flush
                    Burst burst = new Burst(request, candidates, older, servers, maxBatches, maxWait, batches, done, plan);
                    List<ActionResult> r = writer.underLock("retry", burst::run);
                    results.addAll(r);
                    if (r.stream().anyMatch(a -> "lock".equals(a.action()) && "busy".equals(a.outcome()))) {
                        return new Summary(first, plan, batches, Stop.LOCK_BUSY, r.get(0).detail(), results);
                    }
                    if (!burst.ran) {
                        // the lock was taken, but an inherited hold could not be restored yet
                        return new Summary(first, plan, batches, Stop.UNSETTLED, describe(r), results);
                    }
                    if (burst.stop != null) {
                        return new Summary(first, burst.plan, batches, burst.stop,
                                burst.detail != null ? burst.detail : describe(r), results);
                    }
                    plan = burst.plan;
                    continue;
                }
            }
            candidates.removeIf(m -> done.contains(m.id()));
            plan = plan(request, candidates, older, servers, serverNow());
        }
    }

    /** Pace waits at most this long inside the lock; a longer one gives the lock up meanwhile. */
    static final Duration WAIT_INSIDE_LOCK = Duration.ofSeconds(5);

    /** Batches run one after the other under one lock, until the plan says wait, or something stops them. */
    private final class Burst {
        private final RetryRequest request;
        private final List<FailedMail> candidates;
        private final int older;
        private final List<ServerSnapshot> servers;
        private final int maxBatches;
        private final Duration maxWait;
        private final List<RetryBatch> batches;
        private final Set<Integer> done;
        RetryPlan plan;
        Stop stop;
        String detail;
        boolean ran;

        Burst(RetryRequest request, List<FailedMail> candidates, int older, List<ServerSnapshot> servers, int maxBatches,
              Duration maxWait, List<RetryBatch> batches, Set<Integer> done, RetryPlan plan) {
            this.request = request;
            this.candidates = candidates;
            this.older = older;
            this.servers = servers;
            this.maxBatches = maxBatches;
            this.maxWait = maxWait;
            this.batches = batches;
            this.done = done;
            this.plan = plan;
        }

        void run(TargetWriter.Holds holds) throws OdooException, IOException, LockLost {
            ran = true;
            while (plan.next() == RetryPlan.Next.CANARY || plan.next() == RetryPlan.Next.CHUNK) {
                if (batches.size() >= maxBatches) {
                    stop(Stop.BATCH_LIMIT, maxBatches + " batch(es) this run");
                    return;
                }
                if (holds.stopping()) {
                    stop(Stop.STOPPING, "the daemon stops");
                    return;
                }
                boolean canary = plan.next() == RetryPlan.Next.CANARY;
                Group g = group(holds, canary, batches.size() + 1, nextChunks(canary), plan.signatures());
                batches.addAll(g.batches());
                done.addAll(g.attempted());
                RetryBatch last = g.batches().isEmpty() ? null : g.batches().get(g.batches().size() - 1);
                if (g.holdKept()) {
                    boolean unsettled = last != null && !last.settled();
                    stop(unsettled ? Stop.UNSETTLED : Stop.FAILED, unsettled
                            ? "the batch's mails are still changing; the cron stays held until they settle"
                            : "a write failed while the cron was held; the hold stays for the next run");
                    return;
                }
                if (g.failed()) {
                    stop(Stop.FAILED, null);
                    return;
                }
                RetryBatch b = g.batches().isEmpty() ? null : g.batches().get(g.batches().size() - 1);
                if (b == null) {
                    stop(Stop.FAILED, null);
                    return;
                }
                if (!b.settled()) {
                    stop(Stop.UNSETTLED, "the batch's mails are still changing; the cron stays held until they settle");
                    return;
                }
                if (b.tripped()) {
                    stop(Stop.CIRCUIT_OPEN, tripMessage(b));
                    return;
                }
                next();
                Duration wait = plan.next() == RetryPlan.Next.WAIT && plan.until() != null
                        && !plan.why().startsWith("the circuit is open")
                        ? Duration.between(clock.instant(), plan.until()) : null;
                if (wait != null && wait.compareTo(WAIT_INSIDE_LOCK) <= 0 && wait.compareTo(maxWait) <= 0) {
                    try {
                        pause.sleep(wait.isNegative() ? Duration.ZERO : wait);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        stop(Stop.STOPPING, "interrupted");
                        return;
                    }
                    next();
                }
            }
        }

        /**
         * Unpaced, the next chunks share one hold (see GROUP_CHUNKS), the canary first when there is one (its
         * chunks follow only if it passed: a canary that trips restores the cron at once); paced, one batch
         * per hold.
         */
        private List<List<Integer>> nextChunks(boolean canary) {
            int room = Math.min(maxBatches - batches.size(),
                    (target.retry().ratePerMinute() == 0 ? GROUP_CHUNKS : 1) + (canary ? 1 : 0));
            List<List<Integer>> out = new ArrayList<>();
            int ids = 0;
            if (canary) {
                out.add(plan.canary());
                ids += plan.canary().size();
            }
            for (List<Integer> chunk : plan.chunks()) {
                if (out.size() >= Math.max(1, room) || !out.isEmpty() && ids + chunk.size() > GROUP_IDS) {
                    break;
                }
                out.add(chunk);
                ids += chunk.size();
            }
            return out;
        }

        private void next() throws IOException {
            candidates.removeIf(m -> done.contains(m.id()));
            plan = plan(request, candidates, older, servers, serverNow());
        }

        private void stop(Stop why, String text) {
            stop = why;
            detail = text;
        }
    }

    private RetryPlan plan(RetryRequest request, List<FailedMail> candidates, int older, List<ServerSnapshot> servers,
                           Instant now) throws IOException {
        RetryHistory history = RetryHistory.of(journal, now);
        return RetryPlanner.plan(target.name(), target.retry(), request, candidates, older, servers, history, now, memo);
    }

    /** One canary or chunk inside one hold. Null when nothing was requeued (cron running, all moved on). */
    /** Chunks of one hold at most (the canary aside) when pacing is off: each hold costs Odoo a cache flush. */
    static final int GROUP_CHUNKS = 5;
    /** Ids in one hold at most: they are written into the lock row. */
    static final int GROUP_IDS = 1000;

    /** What a group of chunks under one hold did; {@code failed}: a write failed, and the run stops. */
    /** {@code holdKept}: a write failed or the mails still change while the cron was held: the hold stays, the run stops. */
    private record Group(List<RetryBatch> batches, boolean failed, List<Integer> attempted, boolean holdKept) {
    }

    /** How one chunk under the hold ended: its batch (null when its requeue failed) and whether the hold must stay. */
    private record Step(RetryBatch batch, boolean keepHold, boolean returned, Map<Integer, MailState> next) {
        Step(RetryBatch batch, boolean keepHold, boolean returned) {
            this(batch, keepHold, returned, null);
        }
    }

    /**
     * Consecutive chunks under one hold: the hold lists all their ids, recorded once with the cron held; each
     * chunk is requeued, sent and verified in turn; the cron is restored after the last, or as soon as one
     * trips. A crash anywhere leaves the hold, and whoever restores it puts back in exception whatever of
     * these ids is still outgoing: the later chunks' mails are still in exception, untouched.
     */
    private Group group(TargetWriter.Holds holds, boolean canaryFirst, int firstNumber, List<List<Integer>> chunks,
                        Map<Integer, String> before) throws OdooException, IOException, LockLost {
        List<Integer> all = chunks.stream().flatMap(List::stream).toList();
        Optional<TargetWriter.CronHold> hold = holds.hold(all, LockValue.Hold.RETRY, CheckIds.QUEUE_EXCEPTIONS);
        if (hold.isEmpty()) {
            return new Group(List.of(), true, List.of(), false);
        }
        List<RetryBatch> done = new ArrayList<>();
        List<Integer> attempted = new ArrayList<>();
        Map<Integer, MailState> prefetched = null;
        for (int i = 0; i < chunks.size(); i++) {
            if (i > 0) {
                holds.renew(); // a long group must not outlive its lease: checked before each chunk
            }
            attempted.addAll(chunks.get(i));
            boolean canary = canaryFirst && i == 0;
            List<Integer> following = i + 1 < chunks.size() ? chunks.get(i + 1) : List.of();
            Step step = underHold(holds, canary ? "canary" : "chunk", firstNumber + i, chunks.get(i), before, prefetched,
                    following);
            prefetched = step.next();
            if (step.batch() != null) {
                done.add(step.batch());
            }
            if (step.keepHold()) {
                return new Group(done, true, attempted, true);
            }
            if (step.batch() == null) {
                holds.release(hold.get());
                return new Group(done, true, attempted, false);
            }
            if (step.batch().tripped() || canary && !passed(step)) {
                break; // chunks follow only a canary that passed: else the planner decides again
            }
        }
        holds.release(hold.get());
        return new Group(done, false, attempted, false);
    }

    /** As RetryHistory counts a canary passed: it requeued mail, its call returned, and every mail was delivered. */
    private static boolean passed(Step step) {
        RetryBatch b = step.batch();
        return step.returned() && !b.requeued().isEmpty() && b.delivered() == b.requeued().size();
    }

    /**
     * One chunk inside the hold: re-read, journaled requeue, mark_outgoing, process_email_queue, verify, revert.
     * {@code prefetched}: this chunk's states, read with the previous chunk's verification (one request instead of
     * two); {@code following}: the next chunk's ids, read along with this one's verification for the same reason.
     */
    private Step underHold(TargetWriter.Holds holds, String phase, int number, List<Integer> ids, Map<Integer, String> before,
                           Map<Integer, MailState> prefetched, List<Integer> following)
            throws OdooException, IOException {
        MailWriter mails = new MailWriter(session);
        // mark_outgoing writes unconditionally: only mails still in exception are requeued
        Map<Integer, MailState> now = prefetched != null ? prefetched : flusher.states(ids);
        List<Integer> still = ids.stream().filter(id -> now.containsKey(id) && "exception".equals(now.get(id).state())).toList();
        if (still.isEmpty()) {
            holds.add(new ActionResult(RetryHistory.REQUEUE, ActionResult.SKIPPED, "none of the " + ids.size()
                    + " mail(s) is still in exception"));
            return new Step(new RetryBatch(phase, List.of(), 0, 0, 0, 0, 0, false, true, null), false, true);
        }
        Map<String, Object> reasons = new LinkedHashMap<>();
        for (Integer id : still) {
            String reason = now.get(id).failureReason();
            reasons.put(String.valueOf(id), reason == null ? null : redact.apply(cut(reason)));
        }
        long requeue = holds.journal().intent(RetryHistory.REQUEUE, phase + " " + number + " of the retry: " + still.size()
                + " mail(s)", CheckIds.QUEUE_EXCEPTIONS, still, Map.of(RetryHistory.PHASE, phase, "batch", number,
                RequeueReverter.REASONS, reasons));
        try {
            mails.markOutgoing(still);
            holds.journal().outcome(requeue, Outcome.DONE, null, Map.of("requeued", still.size()));
        } catch (OdooException e) {
            holds.journal().outcome(requeue, e instanceof OdooFault ? Outcome.FAILED : Outcome.UNKNOWN,
                    redact.apply(e.getMessage()), Map.of());
            holds.add(new ActionResult(RetryHistory.REQUEUE, ActionResult.FAILED, redact.apply(e.getMessage())));
            // a requeue that broke may have happened: whatever is outgoing goes back before the cron runs
            return new Step(null, !holds.revertOutgoing(flusher.states(still), "a requeue that broke"), false);
        }
        long send = holds.journal().intent(RetryHistory.SEND, phase + " " + number + ": process_email_queue on the requeued"
                + " mail(s)", CheckIds.QUEUE_EXCEPTIONS, still, Map.of(RetryHistory.PHASE, phase, "batch", number));
        boolean returned = true;
        String error = null;
        try {
            flusher.process(still, target.flush().callTimeout());
        } catch (OdooException e) {
            returned = false;
            error = redact.apply(e.getMessage());
        }
        Map<Integer, MailState> next = null;
        Optional<Map<Integer, MailState>> settled;
        if (returned && !following.isEmpty()) {
            // a call that returned has committed every mail: one read settles them (as Settler does), and it
            // brings the next chunk's states along
            List<Integer> both = new ArrayList<>(still);
            both.addAll(following);
            Map<Integer, MailState> read = flusher.states(both);
            Set<Integer> these = new HashSet<>(still);
            Map<Integer, MailState> mine = new LinkedHashMap<>();
            next = new LinkedHashMap<>();
            for (Map.Entry<Integer, MailState> e : read.entrySet()) {
                (these.contains(e.getKey()) ? mine : next).put(e.getKey(), e.getValue());
            }
            settled = Optional.of(mine);
        } else {
            settled = holds.settle(still, returned);
        }
        if (settled.isEmpty()) {
            holds.journal().outcome(send, Outcome.UNKNOWN, "the mails are still changing; the cron stays held until they"
                    + " settle" + (error == null ? "" : "; " + error), Map.of(RetryHistory.PHASE, phase));
            holds.add(new ActionResult(RetryHistory.SEND, ActionResult.UNKNOWN, still.size() + " mail(s) still changing"));
            return new Step(new RetryBatch(phase, still, 0, 0, 0, 0, 0, false, false, null), true, false);
        }
        RetryBatch result = verdict(phase, still, settled.get(), before);
        Map<String, Object> details = new LinkedHashMap<>(Settler.tally(still, settled.get()));
        details.put(RetryHistory.PHASE, phase);
        details.put("batch", number);
        details.put("same_signature", result.sameSignature());
        details.put(RetryHistory.TRIPPED, result.tripped());
        String message = result.tripped() ? tripMessage(result) : error;
        holds.journal().outcome(send, returned ? Outcome.DONE : Outcome.UNKNOWN, message, details);
        holds.add(new ActionResult(RetryHistory.SEND, result.tripped() ? ActionResult.FAILED : ActionResult.DONE,
                phase + " " + number + ": " + still.size() + " requeued, " + result.delivered() + " delivered, "
                        + result.failedAgain() + " failed again" + (result.tripped() ? "; the circuit opens" : "")));
        return new Step(result, !holds.revertOutgoing(settled.get(), phase + " " + number), returned, next);
    }

    private RetryBatch verdict(String phase, List<Integer> ids, Map<Integer, MailState> states, Map<Integer, String> before) {
        int sent = 0;
        int gone = 0;
        int failed = 0;
        int same = 0;
        int outgoing = 0;
        Map<String, Integer> failures = new java.util.HashMap<>();
        for (Integer id : ids) {
            MailState m = states.get(id);
            if (m == null) {
                gone++;
            } else if ("sent".equals(m.state())) {
                sent++;
            } else if ("exception".equals(m.state())) {
                failed++;
                String signature = FailureSignature.normalize(m.failureReason());
                if (signature.equals(before.getOrDefault(id, ""))) {
                    same++;
                }
                failures.merge(MailFailureClassifier.classify(m.failureType(), m.failureReason()) + ": "
                        + signature.replace('\n', ' '), 1, Integer::sum);
            } else if ("outgoing".equals(m.state())) {
                outgoing++;
            }
        }
        // a mail that stayed outgoing was not delivered either: it counts against the batch
        double ratio = ids.isEmpty() ? 0 : (double) (failed + outgoing) / ids.size();
        boolean tripped = ratio >= target.retry().failureThreshold() || "canary".equals(phase) && same > 0;
        String top = failures.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
        return new RetryBatch(phase, ids, sent, gone, failed, same, outgoing, tripped, true, top);
    }

    static String tripMessage(RetryBatch b) {
        return b.phase() + ": " + b.failedAgain() + " of " + b.requeued().size() + " failed again (" + b.sameSignature()
                + " the same way as before" + (b.newFailure() == null ? "" : "; mostly: " + b.newFailure())
                + "): the circuit opens";
    }

    private static String cut(String reason) {
        return reason.length() <= REASON_CHARS ? reason : reason.substring(0, REASON_CHARS) + "…";
    }

    private static String describe(List<ActionResult> results) {
        return results.isEmpty() ? "nothing was done" : results.stream()
                .map(a -> a.action() + " " + a.outcome() + (a.detail() == null ? "" : ": " + a.detail())).reduce((a, b) -> a + "; " + b).orElse("");
    }

    private Instant serverNow() {
        return session.transport().serverTime().orElseGet(clock::instant);
    }
}
