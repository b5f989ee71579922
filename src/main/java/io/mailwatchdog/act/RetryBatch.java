package io.mailwatchdog.act;

import java.util.List;

/**
 * How one canary or chunk ended.
 *
 * @param phase         canary or chunk
 * @param requeued      the mails requeued (those still in exception when re-read inside the hold)
 * @param sent          left as sent
 * @param gone          deleted by auto_delete after sending: delivered too
 * @param failedAgain   back in exception
 * @param sameSignature of those, failed the same way as before
 * @param reverted      not sent, put back in exception before the cron ran again
 * @param tripped       the batch opened the circuit
 * @param settled       false when the mails were still changing: the hold stays until they settle
 * @param newFailure    the most frequent failure of those that failed again (class: signature), or null
 */
public record RetryBatch(String phase, List<Integer> requeued, int sent, int gone, int failedAgain, int sameSignature,
                         int reverted, boolean tripped, boolean settled, String newFailure) {

    public RetryBatch {
        requeued = List.copyOf(requeued);
    }

    public int delivered() {
        return sent + gone;
    }
}
