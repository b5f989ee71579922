package io.mailwatchdog.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How a target is probed.
 *
 * @param exceptionSample     how many recent exception mails are read to classify failures
 * @param maxResponseBytes    an XML-RPC reply larger than this is refused (protects the heap)
 * @param smtpTest            whether outgoing servers are tested with test_smtp_connection
 * @param smtpAuthRetestAfter after an AUTH failure, wait this long before testing the server again
 * @param concurrency         parallel XML-RPC calls to this target
 */
public record ProbeSettings(int exceptionSample, long maxResponseBytes, boolean smtpTest,
                            Duration smtpAuthRetestAfter, int concurrency) {
    public ProbeSettings {
        Objects.requireNonNull(smtpAuthRetestAfter, "smtpAuthRetestAfter");
    }
}
