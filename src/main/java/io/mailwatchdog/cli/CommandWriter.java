package io.mailwatchdog.cli;

import io.mailwatchdog.act.Pause;
import io.mailwatchdog.act.TargetWriter;
import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.journal.Journal;
import io.mailwatchdog.odoo.OdooSession;
import io.mailwatchdog.report.Redactor;
import io.mailwatchdog.state.OwnerId;
import java.io.IOException;
import java.time.Clock;

/**
 * The writer of a command that writes to one target (retry, cleanup): the lock owner is this installation's
 * id with the role {@code cli}, so that the daemon beside it is another owner; a dry-run writes nothing, not
 * even that id.
 */
final class CommandWriter {

    private CommandWriter() {
    }

    static TargetWriter of(Settings settings, TargetSettings target, OdooSession session, Journal journal, Clock clock,
                           Redactor redactor, boolean apply) throws IOException {
        String owner = apply ? OwnerId.of(settings.stateDir(), "cli") : "dry-run/cli";
        return new TargetWriter(target, session, journal, owner, clock, Pause.REAL, redactor::apply, () -> false,
                target.lock().quietWindow());
    }
}
