package io.mailwatchdog.odoo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Lists the active outgoing mail servers (never their password) and runs Odoo's own connection test. */
public final class MailServerReader {

    private static final List<String> FIELDS = List.of("id", "name", "smtp_host", "smtp_port", "smtp_user",
            "smtp_encryption", "smtp_authentication", "from_filter", "sequence", "write_date");

    private final OdooSession session;

    public MailServerReader(OdooSession session) {
        this.session = session;
    }

    public List<MailServerRecord> activeServers() throws OdooException {
        Object reply = session.execute("ir.mail_server", "search_read", List.of(List.of(List.of("active", "=", true))),
                Map.of("fields", FIELDS, "order", "sequence asc, id asc"));
        List<MailServerRecord> out = new ArrayList<>();
        for (Map<String, Object> r : OdooValues.records(reply, "ir.mail_server")) {
            Integer port = OdooValues.integer(r.get("smtp_port"), "smtp_port");
            Integer sequence = OdooValues.integer(r.get("sequence"), "sequence");
            out.add(new MailServerRecord(OdooValues.count(r.get("id"), "id"), OdooValues.str(r.get("name")),
                    OdooValues.str(r.get("smtp_host")), port == null ? 25 : port,
                    OdooValues.str(r.get("smtp_user")), OdooValues.str(r.get("smtp_encryption")),
                    OdooValues.str(r.get("smtp_authentication")), OdooValues.str(r.get("from_filter")),
                    sequence == null ? 10 : sequence, OdooValues.datetime(r.get("write_date"), "write_date")));
        }
        return out;
    }

    /**
     * {@code test_smtp_connection} with no argument (16.0/17.0 take none; passing True on 18.0+ would
     * write max_email_size). A real SMTP login, MAIL FROM, RCPT TO and DATA; no mail is sent.
     * A reply slower than {@code timeout} is a transport failure of that server.
     */
    public SmtpTestVerdict test(int serverId, Duration timeout) throws OdooException {
        try {
            session.execute("ir.mail_server", "test_smtp_connection", List.of(List.of(serverId)), Map.of(), timeout);
            return SmtpTestVerdict.pass();
        } catch (OdooFault.OdooUserError failed) {
            return SmtpTestClassifier.classifyFault(failed.faultString());
        } catch (OdooTimeout slow) {
            return new SmtpTestVerdict(SmtpTestOutcome.FAIL, FailureClass.TRANSPORT,
                    NO_ANSWER + io.mailwatchdog.text.Texts.human(timeout) + " (the SMTP server does not respond)");
        }
    }

    private static final String NO_ANSWER = "no answer within ";

    /** The verdict of a test that timed out on our side (not a failure Odoo reported). */
    public static boolean isNoAnswer(SmtpTestVerdict verdict) {
        return verdict.detail() != null && verdict.detail().startsWith(NO_ANSWER);
    }
}
