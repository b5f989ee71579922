package io.mailwatchdog.simulator;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Odoo's datetime strings: {@code YYYY-MM-DD HH:MM:SS}, UTC, no zone, whole seconds. */
final class OdooDatetimes {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private OdooDatetimes() {
    }

    static String format(Instant instant) {
        return FORMAT.format(instant.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
    }

    /** Odoo stores whole seconds; the simulator's rows do too, so reads and comparisons agree with the wire. */
    static Instant stored(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS);
    }

    /**
     * A datetime as Odoo accepts it in values and domains ({@code fields.Datetime.to_datetime}): the full
     * form, or a bare date meaning midnight.
     */
    static Instant parse(VersionProfile version, String text) {
        String s = text.strip();
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            if (s.length() > 19 && s.charAt(19) == '.') {
                s = s.substring(0, 19); // microseconds are dropped, as Odoo's Datetime field does
            }
            return LocalDateTime.parse(s, FORMAT).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw RpcFault.valueError(version, "time data '" + text + "' does not match format '%Y-%m-%d %H:%M:%S'");
        }
    }
}
