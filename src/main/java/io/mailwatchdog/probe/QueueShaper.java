package io.mailwatchdog.probe;

import io.mailwatchdog.odoo.DueHourGroup;
import io.mailwatchdog.odoo.DueMail;
import io.mailwatchdog.odoo.FailedMail;
import io.mailwatchdog.odoo.FailureClass;
import io.mailwatchdog.odoo.FailureSignature;
import io.mailwatchdog.odoo.MailFailureClassifier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Pure functions that turn what the readers returned into the queue's shape. */
public final class QueueShaper {

    /** qshape's doubling ranges, in hours because Odoo groups datetimes by the hour at the finest. */
    static final long[] BUCKET_HOURS = {1, 2, 4, 8, 16, 32, 64, 128};
    static final int TOP_SIGNATURES = 10;
    static final int EXAMPLE_IDS = 5;

    private QueueShaper() {
    }

    /**
     * The oldest due age. The sample ordered by create_date holds the true oldest unless every older
     * mail in it was scheduled later; the hour groups bound that case, and the older of the two wins
     * (an alert should never be missed because of the bound).
     */
    public static Oldest oldestDue(List<DueMail> sample, List<DueHourGroup> groups, Instant now) {
        DueMail oldest = sample.stream().min(Comparator.comparing(DueMail::dueSince)).orElse(null);
        Instant since = oldest == null ? null : oldest.dueSince();
        Integer id = oldest == null ? null : oldest.id();
        Instant hourBound = groups.stream().map(DueHourGroup::dueHour).min(Comparator.naturalOrder()).orElse(null);
        if (hourBound != null && (since == null || hourBound.plus(Duration.ofHours(1)).isBefore(since))) {
            since = hourBound; // the sample missed an older group: keep the conservative hour start
            id = null;
        }
        long age = since == null ? 0 : Math.max(0, Duration.between(since, now).toSeconds());
        return new Oldest(id, age);
    }

    public record Oldest(Integer id, long ageSeconds) {
    }

    /** Counts each hour group by the start of the hour in which its mail became due (its oldest possible age). */
    public static List<AgeBucket> histogram(List<DueHourGroup> groups, Instant now) {
        int[] counts = new int[BUCKET_HOURS.length + 1];
        for (DueHourGroup g : groups) {
            long ageSeconds = Math.max(0, Duration.between(g.dueHour(), now).toSeconds());
            int i = 0;
            while (i < BUCKET_HOURS.length && ageSeconds >= BUCKET_HOURS[i] * 3600) {
                i++;
            }
            counts[i] += g.count();
        }
        List<AgeBucket> out = new ArrayList<>();
        long from = 0;
        for (int i = 0; i <= BUCKET_HOURS.length; i++) {
            long to = i < BUCKET_HOURS.length ? BUCKET_HOURS[i] : -1;
            String label = to < 0 ? from + "h+" : from + "-" + to + "h";
            out.add(new AgeBucket(label, from * 3600, to < 0 ? -1 : to * 3600, counts[i]));
            from = to;
        }
        return out;
    }

    /** Exceptions in the sample that failed at or after {@code since}. */
    public static int countSince(List<FailedMail> sample, Instant since) {
        return (int) sample.stream().filter(m -> m.writeDate() != null && !m.writeDate().isBefore(since)).count();
    }

    /**
     * True when the sample cannot tell how many failed since {@code since}: it is full and even its
     * oldest member is that recent.
     */
    public static boolean sampleTooSmallFor(List<FailedMail> sample, int limit, Instant since) {
        if (sample.size() < limit || sample.isEmpty()) {
            return false;
        }
        Instant oldest = sample.get(sample.size() - 1).writeDate();
        return oldest == null || !oldest.isBefore(since);
    }

    /** Groups the sample by failure signature, each classified from Odoo's real strings. */
    public static List<FailureSignatureGroup> signatures(List<FailedMail> sample) {
        Map<String, List<FailedMail>> bySignature = new LinkedHashMap<>();
        for (FailedMail mail : sample) {
            String key = (mail.failureType() == null ? "" : mail.failureType()) + "|"
                    + FailureSignature.normalize(mail.failureReason());
            bySignature.computeIfAbsent(key, k -> new ArrayList<>()).add(mail);
        }
        List<FailureSignatureGroup> out = new ArrayList<>();
        for (Map.Entry<String, List<FailedMail>> e : bySignature.entrySet()) {
            List<FailedMail> mails = e.getValue();
            FailedMail first = mails.get(0);
            FailureClass cls = MailFailureClassifier.classify(first.failureType(), first.failureReason());
            Instant firstSeen = mails.stream().map(FailedMail::writeDate).filter(java.util.Objects::nonNull)
                    .min(Comparator.naturalOrder()).orElse(null);
            Instant lastSeen = mails.stream().map(FailedMail::writeDate).filter(java.util.Objects::nonNull)
                    .max(Comparator.naturalOrder()).orElse(null);
            String signature = e.getKey().substring(e.getKey().indexOf('|') + 1);
            if (first.failureType() != null && signature.isEmpty()) {
                signature = "failure_type " + first.failureType();
            }
            out.add(new FailureSignatureGroup(signature, cls, mails.size(), firstSeen, lastSeen,
                    mails.stream().map(FailedMail::id).limit(EXAMPLE_IDS).toList()));
        }
        out.sort(Comparator.comparingInt(FailureSignatureGroup::count).reversed()
                .thenComparing(g -> g.lastSeen() == null ? Instant.MIN : g.lastSeen(), Comparator.reverseOrder()));
        return out.size() > TOP_SIGNATURES ? List.copyOf(out.subList(0, TOP_SIGNATURES)) : List.copyOf(out);
    }
}
