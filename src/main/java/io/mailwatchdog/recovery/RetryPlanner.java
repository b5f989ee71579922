package io.mailwatchdog.recovery;

import io.mailwatchdog.config.RetrySettings;
import io.mailwatchdog.odoo.FailedMail;
import io.mailwatchdog.odoo.FailureClass;
import io.mailwatchdog.odoo.FailureSignature;
import io.mailwatchdog.odoo.MailFailureClassifier;
import io.mailwatchdog.probe.ServerSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Policy of the safe retry (DESIGN.md "Safe recovery"): from the exceptions, what the journal says of
 * earlier retries, the server tests, the policy and the time, which mails to requeue now and which to
 * leave alone, and why. A pure function: it reads nothing and writes nothing.
 */
public final class RetryPlanner {

    /** Classes whose cause is the server: retried only once every server test passed after they began. */
    static final Set<FailureClass> SERVER_CAUSED = EnumSet.of(FailureClass.TRANSPORT, FailureClass.AUTH, FailureClass.TLS);
    /** Classes the daemon may retry by itself. */
    static final Set<FailureClass> AUTOMATIC = EnumSet.of(FailureClass.TRANSPORT, FailureClass.AUTH, FailureClass.TLS,
            FailureClass.RATE_LIMIT, FailureClass.MAILBOX);
    /** A passed canary vouches for the chunks while they keep coming; after a pause, a new canary goes first. */
    static final Duration CANARY_VOUCHES_FOR = Duration.ofHours(1);
    static final int EXAMPLES = 5;

    private RetryPlanner() {
    }

    /**
     * What classifying a failure reason gave before: the class and the signature of a reason never change,
     * so a run that plans before every batch classifies each distinct reason once. Not thread-safe.
     */
    public static final class Memo {
        final Map<String, FailureClass> classes = new HashMap<>();
        final Map<String, String> signatures = new HashMap<>();
    }

    public static RetryPlan plan(String target, RetrySettings policy, RetryRequest request, List<FailedMail> candidates,
                                 int olderThanMaxAge, List<ServerSnapshot> servers, RetryHistory history, Instant now) {
        return plan(target, policy, request, candidates, olderThanMaxAge, servers, history, now, new Memo());
    }

    public static RetryPlan plan(String target, RetrySettings policy, RetryRequest request, List<FailedMail> candidates,
                                 int olderThanMaxAge, List<ServerSnapshot> servers, RetryHistory history, Instant now,
                                 Memo memo) {
        Lefts left = new Lefts();
        if (olderThanMaxAge > 0) {
            left.add(null, "created more than max-age (" + policy.maxAge().toHours() + " h) ago", olderThanMaxAge, List.of());
        }
        Map<String, FailureClass> classes = memo.classes;
        Map<String, String> signatures = memo.signatures;
        Instant oldest = now.minus(policy.maxAge());
        List<Candidate> eligible = new ArrayList<>();
        for (FailedMail m : candidates) {
            String key = (m.failureType() == null ? "" : m.failureType()) + "\u0000" + (m.failureReason() == null ? "" : m.failureReason());
            FailureClass c = classes.computeIfAbsent(key, k -> MailFailureClassifier.classify(m.failureType(), m.failureReason()));
            String why = refusal(m, c, policy, request, history, oldest);
            if (why != null) {
                left.add(c, why, 1, List.of(m.id()));
                continue;
            }
            eligible.add(new Candidate(m, c, signatures.computeIfAbsent(m.failureReason() == null ? "" : m.failureReason(),
                    FailureSignature::normalize)));
        }
        Gate gate = Gate.of(servers, eligible);
        if (gate.refused != null) {
            List<Candidate> stay = eligible.stream().filter(e -> gate.blocks(e.failureClass)).toList();
            for (Candidate e : stay) {
                left.add(e.failureClass, gate.refused, 1, List.of(e.mail.id()));
            }
            eligible = eligible.stream().filter(e -> !gate.blocks(e.failureClass)).toList();
        }
        eligible = new ArrayList<>(eligible);
        eligible.sort(order(policy.modelOrder()));
        if (request.max() > 0 && eligible.size() > request.max()) {
            for (Candidate e : eligible.subList(request.max(), eligible.size())) {
                left.add(e.failureClass, "over --max " + request.max(), 1, List.of(e.mail.id()));
            }
            eligible = new ArrayList<>(eligible.subList(0, request.max()));
        }
        Instant tomorrow = now.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).plusDays(1).toInstant();
        if (policy.dailyQuota() > 0) {
            int remaining = Math.max(0, policy.dailyQuota() - history.usedToday());
            if (eligible.size() > remaining) {
                for (Candidate e : eligible.subList(remaining, eligible.size())) {
                    left.add(e.failureClass, "over today's daily-quota (" + policy.dailyQuota() + ", " + history.usedToday()
                            + " used); resumes at " + tomorrow, 1, List.of(e.mail.id()));
                }
                eligible = new ArrayList<>(eligible.subList(0, remaining));
            }
        }
        Map<FailureClass, Integer> perClass = new EnumMap<>(FailureClass.class);
        Map<Integer, String> planned = new LinkedHashMap<>();
        for (Candidate e : eligible) {
            perClass.merge(e.failureClass, 1, Integer::sum);
            planned.put(e.mail.id(), e.signature);
        }

        boolean halfOpen = history.circuitOpenAt() != null;
        boolean canaryVouches = history.canaryPassedAt() != null && history.circuitOpenAt() == null
                && history.lastSendAt() != null && !now.isAfter(history.lastSendAt().plus(CANARY_VOUCHES_FOR));
        boolean needCanary = halfOpen || !canaryVouches;
        List<Integer> canary = new ArrayList<>();
        List<Candidate> rest = eligible;
        if (needCanary && !eligible.isEmpty()) {
            List<Candidate> newest = new ArrayList<>(eligible);
            newest.sort(Comparator.comparing((Candidate e) -> e.mail.createDate(), Comparator.nullsLast(Comparator.reverseOrder()))
                    .thenComparing(e -> -e.mail.id()));
            List<Candidate> picked = newest.subList(0, Math.min(policy.canarySize(), newest.size()));
            picked.forEach(e -> canary.add(e.mail.id()));
            Set<Integer> inCanary = Set.copyOf(canary);
            rest = eligible.stream().filter(e -> !inCanary.contains(e.mail.id())).toList();
        }
        List<List<Integer>> chunks = new ArrayList<>();
        for (int i = 0; i < rest.size(); i += policy.chunkSize()) {
            chunks.add(rest.subList(i, Math.min(rest.size(), i + policy.chunkSize())).stream().map(e -> e.mail.id()).toList());
        }

        RetryPlan.Next next;
        Instant until = null;
        String why;
        if (eligible.isEmpty()) {
            next = gate.refused != null && !left.isEmpty() && left.any(gate.refused) ? RetryPlan.Next.REFUSED : RetryPlan.Next.NOTHING;
            why = next == RetryPlan.Next.REFUSED ? gate.refused : quotaSpent(policy, history)
                    ? "today's daily-quota is spent; resumes at " + tomorrow : "no mail is eligible for a retry";
            if (quotaSpent(policy, history) && next == RetryPlan.Next.NOTHING && left.any("over today's daily-quota")) {
                next = RetryPlan.Next.WAIT;
                until = tomorrow;
            }
        } else if (halfOpen && now.isBefore(history.circuitOpenAt().plus(policy.coolDown()))) {
            next = RetryPlan.Next.WAIT;
            until = history.circuitOpenAt().plus(policy.coolDown());
            why = "the circuit is open since " + history.circuitOpenAt() + " (" + history.circuitReason()
                    + "); one canary tries again at " + until;
        } else if (policy.ratePerMinute() > 0 && history.lastRequeueAt() != null
                && now.isBefore(paceUntil(policy, history))) {
            next = RetryPlan.Next.WAIT;
            until = paceUntil(policy, history);
            why = "paced at " + policy.ratePerMinute() + " mails/min: the next batch at " + until;
        } else if (!canary.isEmpty()) {
            next = RetryPlan.Next.CANARY;
            why = halfOpen ? "half-open: one canary after the circuit's cool-down"
                    : gate.canaryIsTheGate ? "canary first; it is also the gate (" + gate.note + ")"
                    : gate.refused != null ? "canary first, of the classes the gate lets through (" + gate.refused + ")"
                    : "canary first: every server test passed since the failures began";
        } else {
            next = RetryPlan.Next.CHUNK;
            why = "the canary passed at " + history.canaryPassedAt() + "; chunks follow, paced";
        }
        return new RetryPlan(target, next, until, why, canary, chunks, perClass, left.list(), planned);
    }

    private static boolean quotaSpent(RetrySettings policy, RetryHistory history) {
        return policy.dailyQuota() > 0 && history.usedToday() >= policy.dailyQuota();
    }

    /** The next batch may start once the last one's mails are spread at the rate. */
    public static Instant paceUntil(RetrySettings policy, RetryHistory history) {
        long millis = Math.round(history.lastRequeueSize() * 60_000.0 / policy.ratePerMinute());
        return history.lastRequeueAt().plusMillis(millis);
    }

    /** Why this mail is left alone whatever the gate says; null when it is eligible. */
    private static String refusal(FailedMail m, FailureClass c, RetrySettings policy, RetryRequest request,
                                  RetryHistory history, Instant oldest) {
        if (m.createDate() != null && m.createDate().isBefore(oldest)) {
            return "created more than max-age (" + policy.maxAge().toHours() + " h) ago";
        }
        if (request.failedSince() != null && m.writeDate() != null && m.writeDate().isBefore(request.failedSince())) {
            return "failed before --since";
        }
        if (!request.classes().isEmpty() && !request.classes().contains(c)) {
            return "not asked for (--class)";
        }
        switch (c) {
            case RECIPIENT -> {
                return "never retried: the recipient is refused or invalid (fix the address, then use Odoo's Retry)";
            }
            case CONTENT -> {
                return "never retried: the message itself is refused (spam, policy, size)";
            }
            case UNKNOWN -> {
                return "never retried automatically: unknown failure, possibly sent already";
            }
            case SENDER -> {
                if (!(request.operator() && request.classes().contains(FailureClass.SENDER))) {
                    return "SENDER: only an operator's retry --class SENDER --apply (the server test sends from"
                            + " another address, so it cannot prove the fix)";
                }
            }
            default -> {
            }
        }
        int attempts = history.attempts(m.id());
        if (attempts >= policy.maxAttempts()) {
            return "retried " + attempts + " time(s) already (max-attempts " + policy.maxAttempts() + ")";
        }
        return null;
    }

    /** The configured models first, in their order; then the rest; newest first within each. */
    private static Comparator<Candidate> order(List<String> modelOrder) {
        Map<String, Integer> rank = new HashMap<>();
        for (int i = 0; i < modelOrder.size(); i++) {
            rank.putIfAbsent(modelOrder.get(i), i);
        }
        return Comparator.comparingInt((Candidate e) -> rank.getOrDefault(e.mail.model(), modelOrder.size()))
                .thenComparing(e -> e.mail.createDate(), Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(e -> -e.mail.id());
    }

    private record Candidate(FailedMail mail, FailureClass failureClass, String signature) {
    }

    /**
     * The gate: every active server's latest test passed after the failures began. A failing test blocks
     * every class (nothing can be sent); a server untested since the failures began blocks the server-caused
     * classes; no server, or an inconclusive test, makes the canary the gate.
     */
    private static final class Gate {
        String refused;
        boolean allClasses;
        boolean canaryIsTheGate;
        String note;

        boolean blocks(FailureClass c) {
            return refused != null && (allClasses || SERVER_CAUSED.contains(c));
        }

        static Gate of(List<ServerSnapshot> servers, List<Candidate> eligible) {
            Gate g = new Gate();
            if (servers.isEmpty()) {
                g.canaryIsTheGate = true;
                g.note = "no ir.mail_server: Odoo sends through its configuration file's SMTP server";
                return g;
            }
            List<String> failing = new ArrayList<>();
            List<String> unproven = new ArrayList<>();
            Instant began = eligible.stream().filter(e -> SERVER_CAUSED.contains(e.failureClass))
                    .map(e -> e.mail.writeDate()).filter(java.util.Objects::nonNull).min(Comparator.naturalOrder()).orElse(null);
            List<String> stale = new ArrayList<>();
            for (ServerSnapshot s : servers) {
                ServerSnapshot.SmtpTest t = s.test();
                String outcome = t == null ? "NOT_TESTED" : t.outcome();
                switch (outcome) {
                    case "FAIL" -> failing.add(s.name() + " (" + (t.failureClass() == null ? "FAIL" : t.failureClass()) + ")");
                    case "PASS" -> {
                        Instant at = t.cachedFrom() != null ? t.cachedFrom() : t.testedAt();
                        if (began != null && (at == null || at.isBefore(began))) {
                            stale.add(s.name() + " (tested " + at + ")");
                        }
                    }
                    default -> unproven.add(s.name() + " (" + outcome.toLowerCase(java.util.Locale.ROOT) + ")");
                }
            }
            if (!failing.isEmpty()) {
                g.refused = "the gate is closed: the SMTP test of " + String.join(", ", failing) + " fails";
                g.allClasses = true;
            } else if (!stale.isEmpty()) {
                g.refused = "the gate is closed: no SMTP test passed since the failures began (" + began + "): "
                        + String.join(", ", stale);
            } else if (!unproven.isEmpty()) {
                g.canaryIsTheGate = true;
                g.note = "the SMTP test proves nothing for " + String.join(", ", unproven);
            }
            return g;
        }
    }

    /** Left-alone mails grouped by (class, reason), in first-seen order. */
    private static final class Lefts {
        private final Map<String, int[]> counts = new LinkedHashMap<>();
        private final Map<String, List<Integer>> examples = new HashMap<>();
        private final Map<String, FailureClass> classOf = new HashMap<>();
        private final Map<String, String> reasonOf = new HashMap<>();

        void add(FailureClass c, String reason, int n, List<Integer> ids) {
            String key = c + "\u0000" + reason;
            counts.computeIfAbsent(key, k -> new int[1])[0] += n;
            classOf.put(key, c);
            reasonOf.put(key, reason);
            List<Integer> ex = examples.computeIfAbsent(key, k -> new ArrayList<>());
            for (Integer id : ids) {
                if (ex.size() < EXAMPLES) {
                    ex.add(id);
                }
            }
        }

        boolean isEmpty() {
            return counts.isEmpty();
        }

        boolean any(String reasonStart) {
            return reasonOf.values().stream().anyMatch(r -> r.startsWith(reasonStart));
        }

        List<RetryPlan.Left> list() {
            List<RetryPlan.Left> out = new ArrayList<>();
            counts.forEach((k, n) -> out.add(new RetryPlan.Left(classOf.get(k), reasonOf.get(k), n[0], examples.get(k))));
            return out;
        }
    }
}
