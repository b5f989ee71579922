package io.mailwatchdog.config;

import java.time.Duration;
import java.util.Objects;

/** WARN/FAIL limits for one target; validation guarantees warn &lt;= fail for every pair. */
public record Thresholds(Duration oldestOutgoingWarn, Duration oldestOutgoingFail,
                         Duration schedulerOverdueWarn, Duration schedulerOverdueFail,
                         int exceptionsLastHourWarn, int exceptionsLastHourFail,
                         int schedulerFailuresWarn, int schedulerFailuresFail) {
    public Thresholds {
        Objects.requireNonNull(oldestOutgoingWarn, "oldestOutgoingWarn");
        Objects.requireNonNull(oldestOutgoingFail, "oldestOutgoingFail");
        Objects.requireNonNull(schedulerOverdueWarn, "schedulerOverdueWarn");
        Objects.requireNonNull(schedulerOverdueFail, "schedulerOverdueFail");
    }
}
