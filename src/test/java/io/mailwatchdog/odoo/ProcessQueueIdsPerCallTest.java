package io.mailwatchdog.odoo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How many of its ids one process_email_queue call sends, per version, as each version's mail_mail.py computes it. */
class ProcessQueueIdsPerCallTest {

    @ParameterizedTest(name = "{0}: ICP {1}, batch_size {2} -> {3}")
    @CsvSource({
            // 16.0: search(limit=10000), no ICP
            "16, 5, 100, 10000",
            "16, , 100, 10000",
            // 17.0: the ICP, default 10,000; 0 is search(limit=0): no limit
            "17, 20, 100, 20",
            "17, , 100, 10000",
            "17, 0, 100, 2147483647",
            // 18.0: ten times the ICP, which wins over batch_size; 0: no limit
            "18, 2, 100, 20",
            "18, , 100, 1000",
            "18, 0, 100, 2147483647",
            // 19.0: ten times the ICP, `or batch_size` when it is 0
            "19, 3, 100, 30",
            "19, 0, 100, 1000",
            "19, , 100, 1000",
    })
    void aCallSendsAtMostWhatTheVersionsSearchLimitLetsThrough(int major, Integer icp, int batchSize, int expected) {
        OdooVersion version = new OdooVersion(major, 0, major + ".0");
        OptionalInt param = icp == null ? OptionalInt.empty() : OptionalInt.of(icp);

        assertThat(version.processQueueIdsPerCall(param, batchSize)).isEqualTo(expected);
    }
}
