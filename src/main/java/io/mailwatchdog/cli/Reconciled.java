package io.mailwatchdog.cli;

import io.mailwatchdog.act.TargetWriter;
import io.mailwatchdog.report.Redactor;
import java.io.PrintWriter;

/** What a writing command says of the reconciliation it runs before its first write. */
final class Reconciled {

    private Reconciled() {
    }

    /** @return true when the command may go on; false: it stops with exit 2, having said why */
    static boolean report(TargetWriter.Reconciliation r, PrintWriter out, PrintWriter err, Redactor redactor) {
        r.results().stream().filter(a -> !"busy".equals(a.outcome()))
                .forEach(a -> err.println(redactor.apply("reconciled: " + a.detail())));
        if (r.complete()) {
            return true;
        }
        r.results().stream().filter(a -> "busy".equals(a.outcome())).findFirst().ifPresentOrElse(
                busy -> out.println(redactor.apply("stopped: lock busy — " + busy.detail())),
                () -> out.println("stopped: an earlier batch's mails are still changing; try again in a few minutes"));
        out.flush();
        return false;
    }
}
