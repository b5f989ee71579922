package io.mailwatchdog.simulator;

import java.util.Locale;

/** One mail handed to one recipient by an SMTP server that accepted it: the unit a duplicate is counted in. */
public record Delivery(String messageId, String recipient) {

    public Delivery {
        recipient = recipient.toLowerCase(Locale.ROOT);
    }
}
