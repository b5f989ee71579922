package io.mailwatchdog.simulator;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * One SMTP connection, as Odoo's {@code ir.mail_server.connect} opens it (EHLO, STARTTLS when asked,
 * AUTH when a user is set), over Jakarta Mail. Used for a batch of mails of one server, or for a
 * connection test.
 */
final class SmtpSession implements AutoCloseable {

    /** The session could not be opened; {@code error} is what smtplib would have raised. */
    static final class OpenFailed extends Exception {
        final PyError error;

        OpenFailed(PyError error) {
            super(error.str(), null, false, false);
            this.error = error;
        }
    }

    /** What became of one mail handed to the server. */
    sealed interface Outcome permits Delivered, Refused, Disconnected {
    }

    record Delivered(List<String> recipients) implements Outcome {
    }

    /** The server refused the mail: smtplib's SMTPSenderRefused, SMTPRecipientsRefused or SMTPDataError. */
    record Refused(PyError error) implements Outcome {
    }

    /** The connection broke: Odoo stops the whole batch (SMTPServerDisconnected). */
    record Disconnected() implements Outcome {
    }

    /** A mail as Odoo's {@code build_email} would put it on the wire; the Message-ID is the mail's own. */
    record Mail(String messageId, String from, String to, String cc, String subject, String bodyHtml, Instant date) {
    }

    private final Session session;
    private final Transport transport;

    private SmtpSession(Session session, Transport transport) {
        this.session = session;
        this.transport = transport;
    }

    static SmtpSession open(SmtpServerConfig server, Duration timeout) throws OpenFailed {
        Session session = Session.getInstance(server.properties(timeout));
        Transport transport;
        try {
            transport = session.getTransport(server.protocol());
            transport.connect(server.host(), server.port(), server.authenticates() ? server.user() : null,
                    server.authenticates() ? server.password() : null);
        } catch (MessagingException | RuntimeException e) {
            throw new OpenFailed(SmtpErrors.ofSession(e));
        }
        SmtpSession opened = new SmtpSession(session, transport);
        // smtplib's login() refuses when the server offers no AUTH; Jakarta would go on unauthenticated.
        if (server.authenticates() && transport instanceof SMTPTransport smtp && !smtp.supportsExtension("AUTH")) {
            opened.close();
            throw new OpenFailed(SmtpErrors.authNotSupported());
        }
        return opened;
    }

    Outcome send(Mail mail) {
        InternetAddress[] to;
        try {
            MimeMessage message = new FixedIdMessage(session, mail.messageId());
            message.setFrom(new InternetAddress(mail.from()));
            to = InternetAddress.parse(mail.to(), false);
            message.setRecipients(Message.RecipientType.TO, to);
            if (mail.cc() != null && !mail.cc().isBlank()) {
                message.setRecipients(Message.RecipientType.CC, InternetAddress.parse(mail.cc(), false));
            }
            message.setSubject(mail.subject() == null ? "" : mail.subject(), "UTF-8");
            message.setText(mail.bodyHtml() == null ? "" : mail.bodyHtml(), "UTF-8", "html");
            message.setSentDate(Date.from(mail.date()));
            message.saveChanges();
            Address[] all = message.getAllRecipients();
            transport.sendMessage(message, all);
            return new Delivered(addresses(all));
        } catch (AddressException e) {
            return new Refused(PyError.of(PyError.Kind.OTHER, "AssertionError", "Invalid address: " + e.getMessage()));
        } catch (SendFailedException e) {
            return refusal(e);
        } catch (MessagingException e) {
            if (SmtpErrors.isDisconnect(e)) {
                return new Disconnected();
            }
            return new Refused(PyError.of(PyError.Kind.SMTP_OTHER, "SMTPException", String.valueOf(e.getMessage()).strip()));
        }
    }

    /** Jakarta's summary of a refusal, read back into smtplib's exception for it. */
    private static Outcome refusal(SendFailedException e) {
        SMTPSenderFailedException sender = SmtpErrors.find(e, SMTPSenderFailedException.class);
        if (sender != null) {
            String reply = String.valueOf(sender.getMessage());
            return new Refused(new PyError(PyError.Kind.RESPONSE, "SMTPSenderRefused", List.of(
                    sender.getReturnCode(), new PyRepr.Bytes(SmtpErrors.text(reply)), address(sender.getAddress()))));
        }
        if (e.getValidSentAddresses() != null && e.getValidSentAddresses().length > 0) {
            return new Delivered(addresses(e.getValidSentAddresses())); // sendmail succeeds if one recipient took it
        }
        Map<String, Object> refused = new LinkedHashMap<>();
        for (Throwable t = e; t != null; t = t instanceof MessagingException m ? m.getNextException() : null) {
            if (t instanceof SMTPAddressFailedException failed) {
                refused.put(address(failed.getAddress()), PyRepr.Tuple.of(failed.getReturnCode(),
                        new PyRepr.Bytes(SmtpErrors.text(String.valueOf(failed.getMessage())))));
            }
        }
        if (!refused.isEmpty()) {
            return new Refused(new PyError(PyError.Kind.RESPONSE, "SMTPRecipientsRefused", List.of(refused)));
        }
        if (e instanceof SMTPSendFailedException data) {
            return new Refused(new PyError(PyError.Kind.RESPONSE, "SMTPDataError", List.of(data.getReturnCode(),
                    new PyRepr.Bytes(SmtpErrors.text(String.valueOf(data.getMessage()))))));
        }
        if (SmtpErrors.isDisconnect(e)) {
            return new Disconnected();
        }
        return new Refused(PyError.of(PyError.Kind.SMTP_OTHER, "SMTPException", String.valueOf(e.getMessage()).strip()));
    }

    /** {@code (code, reply)} of a command of the connection test (MAIL FROM, RCPT TO, DATA). */
    record Reply(int code, String text) {
    }

    Reply command(String line) throws OpenFailed {
        if (!(transport instanceof SMTPTransport smtp)) {
            throw new IllegalStateException("not an SMTP transport");
        }
        try {
            int code = smtp.simpleCommand(line);
            String response = smtp.getLastServerResponse() == null ? "" : smtp.getLastServerResponse();
            return new Reply(code, SmtpErrors.text(response));
        } catch (MessagingException e) {
            throw new OpenFailed(SmtpErrors.isDisconnect(e) ? SmtpErrors.disconnected() : SmtpErrors.ofSession(e));
        }
    }

    @Override
    public void close() {
        try {
            transport.close();
        } catch (MessagingException ignored) {
            // the connection is gone either way, as Odoo's smtp.close() in a finally
        }
    }

    private static List<String> addresses(Address[] all) {
        List<String> out = new ArrayList<>();
        if (all != null) {
            for (Address a : all) {
                out.add(address(a));
            }
        }
        return out;
    }

    private static String address(Address a) {
        return a instanceof InternetAddress ia ? ia.getAddress() : String.valueOf(a);
    }

    private static String address(String a) {
        return a == null ? "" : a;
    }

    /** Keeps the mail's own Message-ID instead of the one Jakarta would invent at saveChanges(). */
    private static final class FixedIdMessage extends MimeMessage {
        private final String messageId;

        FixedIdMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
