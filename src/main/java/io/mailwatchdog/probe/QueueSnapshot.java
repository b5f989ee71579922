package io.mailwatchdog.probe;

import io.mailwatchdog.odoo.MailStateCounts;
import java.util.List;

/**
 * The queue's shape. Ages follow one rule: a due outgoing mail's age is now − max(create_date,
 * scheduled_date); an exception's age is now − write_date (when it last failed).
 */
public record QueueSnapshot(
        MailStateCounts counts,
        int due,
        Integer oldestDueId,
        long oldestDueAgeSeconds,
        List<AgeBucket> ageHistogram,
        int exceptionsLastHour,
        int exceptionsLast24h,
        int exceptionSampleSize,
        int exceptionSampleLimit,
        List<FailureSignatureGroup> signatures) {
}
