package io.mailwatchdog.report;

import io.mailwatchdog.config.Secret;
import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.config.WebhookSettings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.List;

/** Last line of defence: replaces every configured secret in text that is about to be printed. */
public final class Redactor {

    private final List<String> secrets = new ArrayList<>();

    /** Masks every secret of the settings: the targets' passwords, the HTTP token and every webhook URL. */
    public Redactor(Settings settings) {
        this(secretsOf(settings));
    }

    /** Masks these secrets (nulls are skipped), e.g. the targets' passwords and the HTTP token. */
    public Redactor(Collection<Secret> toMask) {
        for (Secret secret : toMask) {
            String s = secret == null ? null : secret.reveal();
            if (s != null && s.length() >= 3) {
                // A secret echoed back by a hostile page may reach us XML-escaped, and JSON output escapes it again.
                for (String form : List.of(s, xmlEscaped(s))) {
                    secrets.add(form);
                    secrets.add(new String(JsonStringEncoder.getInstance().quoteAsString(form)));
                }
            }
        }
        // Longest first: a password inside a webhook URL, masked first, would leave the rest of the URL unmasked.
        secrets.sort(Comparator.comparingInt(String::length).reversed());
    }

    private static List<Secret> secretsOf(Settings settings) {
        List<Secret> all = new ArrayList<>(settings.targets().stream().map(TargetSettings::secret).toList());
        settings.http().token().ifPresent(all::add);
        settings.alerts().webhooks().stream().map(WebhookSettings::url).forEach(all::add);
        return all;
    }

    public static String xmlEscaped(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&apos;");
    }

    public String apply(String text) {
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, "********");
        }
        return out;
    }
}
