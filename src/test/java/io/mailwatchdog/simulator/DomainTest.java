package io.mailwatchdog.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Odoo's prefix-notation domains with SQL's empty values, as the simulator evaluates them on rows. */
class DomainTest {

    static final ModelSchema MAIL = Schemas.mailMail(VersionProfile.V18);

    static Map<String, Object> mail(String state, String scheduled, String failureType) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", 1);
        row.put("state", state);
        row.put("scheduled_date", scheduled == null ? null : Instant.parse(scheduled));
        row.put("failure_type", failureType);
        row.put("auto_delete", null);
        return row;
    }

    static boolean matches(List<?> domain, Map<String, Object> row) {
        Predicate<Map<String, Object>> p = Domain.compile(domain, MAIL, VersionProfile.V18);
        return p.test(row);
    }

    @Test
    void theDueDomainOfTheWatchdogTakesUnsetAndPastScheduledDates() {
        List<?> due = List.of(List.of("state", "=", "outgoing"), "|", List.of("scheduled_date", "=", false),
                List.of("scheduled_date", "<=", "2026-11-23 12:00:00"));
        assertThat(matches(due, mail("outgoing", null, null))).isTrue();
        assertThat(matches(due, mail("outgoing", "2026-11-23T11:00:00Z", null))).isTrue();
        assertThat(matches(due, mail("outgoing", "2026-11-23T12:00:00Z", null))).isTrue();
        assertThat(matches(due, mail("outgoing", "2026-11-23T12:00:01Z", null))).isFalse();
        assertThat(matches(due, mail("sent", null, null))).isFalse();
    }

    @Test
    void emptyValuesMatchNotEqualAndNotInButNeverAComparison() {
        Map<String, Object> noType = mail("exception", null, null);
        assertThat(matches(List.of(List.of("failure_type", "!=", "unknown")), noType)).isTrue();
        assertThat(matches(List.of(List.of("failure_type", "not in", List.of("unknown"))), noType)).isTrue();
        assertThat(matches(List.of(List.of("failure_type", "in", List.of("unknown", false))), noType)).isTrue();
        assertThat(matches(List.of(List.of("failure_type", "in", List.of("unknown"))), noType)).isFalse();
        assertThat(matches(List.of(List.of("scheduled_date", ">", "2000-01-01 00:00:00")), noType)).isFalse();
        assertThat(matches(List.of(List.of("auto_delete", "=", false)), noType)).as("a boolean's False is empty too").isTrue();
    }

    @Test
    void notAndOrCombineInPrefixNotation() {
        Map<String, Object> row = mail("cancel", null, null);
        assertThat(matches(List.of("!", List.of("state", "=", "cancel")), row)).isFalse();
        assertThat(matches(List.of("|", List.of("state", "=", "sent"), List.of("state", "=", "cancel")), row)).isTrue();
        assertThat(matches(List.of("&", "!", List.of("state", "=", "sent"), List.of("id", "in", List.of(1, 2))), row)).isTrue();
        assertThat(matches(List.of(), row)).as("the empty domain").isTrue();
    }

    @Test
    void andOfDomainsIsOdoosExpressionAnd() {
        List<Object> and = Domain.and(List.of(List.of(List.of("state", "=", "outgoing")), List.of()));
        assertThat(and).isEqualTo(List.of(List.of("state", "=", "outgoing")));
        assertThat(Domain.and(List.of(List.of("&", List.of("a", "=", 1), List.of("b", "=", 2)),
                List.of(List.of("c", "=", 3), List.of("d", "=", 4))))).isEqualTo(List.of("&", "&", List.of("a", "=", 1),
                List.of("b", "=", 2), "&", List.of("c", "=", 3), List.of("d", "=", 4)));
    }

    @Test
    void anUnknownFieldIsAValueError() {
        assertThatThrownBy(() -> matches(List.of(List.of("nope", "=", 1)), mail("sent", null, null)))
                .isInstanceOfSatisfying(RpcFault.class, f -> assertThat(f.faultString)
                        .endsWith("ValueError: Invalid field mail.mail.nope in leaf ('nope', '=', 1)\n"));
    }
}
