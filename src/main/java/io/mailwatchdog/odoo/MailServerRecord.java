package io.mailwatchdog.odoo;

import java.time.Instant;

/** An outgoing mail server. Its password is never read. */
public record MailServerRecord(int id, String name, String host, int port, String user,
                               String encryption, String authentication, String fromFilter, int sequence,
                               Instant writeDate) {

    /** What makes two records the same SMTP login: tested once per run. */
    public String loginKey() {
        return (host == null ? "" : host.toLowerCase(java.util.Locale.ROOT)) + ":" + port + ":"
                + (user == null ? "" : user) + ":" + encryption + ":" + authentication;
    }

    /** Changes whenever the record is edited: a refused login is retested at once after a fix. */
    public String revision() {
        return loginKey() + "@" + writeDate;
    }
}
