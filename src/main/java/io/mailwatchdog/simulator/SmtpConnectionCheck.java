package io.mailwatchdog.simulator;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * {@code ir.mail_server.test_smtp_connection}: a real SMTP session up to the start of DATA, then the
 * connection is dropped, so no mail is sent. Failures read as Odoo's UserError texts of the version
 * (odoo/addons/base/models/ir_mail_server.py; ODOO-NOTES.md §7).
 */
final class SmtpConnectionCheck {

    private SmtpConnectionCheck() {
    }

    /** @throws RpcFault Fault 2 with Odoo's text when the test fails */
    static void run(SmtpServerConfig server, Supplier<String> sender, boolean senderFirst, String emailTo,
                    Duration timeout, VersionProfile version) {
        String early = senderFirst ? sender.get() : null;
        try (SmtpSession session = SmtpSession.open(server, timeout)) {
            String emailFrom = early != null ? early : sender.get();
            SmtpSession.Reply mail = session.command("MAIL FROM:<" + emailFrom + ">");
            if (mail.code() != 250) {
                throw RpcFault.userError("The server refused the sender address (" + emailFrom + ") with error "
                        + new PyRepr.Bytes(mail.text()));
            }
            SmtpSession.Reply rcpt = session.command("RCPT TO:<" + emailTo + ">");
            if (rcpt.code() != 250 && rcpt.code() != 251) {
                throw RpcFault.userError("The server refused the test recipient (" + emailTo + ") with error "
                        + new PyRepr.Bytes(rcpt.text()));
            }
            SmtpSession.Reply data = session.command("DATA");
            if (data.code() != 354) {
                throw RpcFault.userError("The server refused the test connection with error " + new PyRepr.Bytes(data.text()));
            }
        } catch (SmtpSession.OpenFailed failed) {
            throw RpcFault.userError(text(failed.error, version));
        }
    }

    /** The {@code except} branch of Odoo's test that catches this error, with its version's formatting. */
    static String text(PyError e, VersionProfile version) {
        boolean ustr = version.testSmtpUsesUstr();
        String detail = ustr ? e.argumentLines(true) : e.str();
        return switch (e.kind()) {
            case DNS, TIMEOUT -> "No response received. Check server address and port number.\n " + detail;
            case DISCONNECTED -> "The server has closed the connection unexpectedly. Check configuration served on this port number.\n "
                    + (ustr ? e.strerror() : detail);
            case RESPONSE -> "Server replied with following exception:\n "
                    + (ustr ? e.argumentLines(true).substring(e.argumentLines(true).indexOf('\n') + 1) : detail);
            case NOT_SUPPORTED -> "An option is not supported by the server:\n " + (ustr ? e.strerror() : detail);
            case SMTP_OTHER -> "An SMTP exception occurred. Check port number and connection security type.\n " + detail;
            case SSL -> "An SSL exception occurred. Check connection security type.\n " + detail;
            case OS_ERROR, OTHER -> "Connection Test Failed! Here is what we got instead:\n " + detail;
        };
    }
}
