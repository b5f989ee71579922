package io.mailwatchdog.cli;

import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.TargetSettings;
import java.util.ArrayList;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.List;

/** Last line of defence: replaces every configured secret in text that is about to be printed. */
final class Redactor {

    private final List<String> secrets = new ArrayList<>();

    Redactor(Settings settings) {
        for (TargetSettings t : settings.targets()) {
            String s = t.secret().reveal();
            if (s != null && s.length() >= 3) {
                // A secret echoed back by a hostile page may reach us XML-escaped, and JSON output escapes it again.
                for (String form : List.of(s, xmlEscaped(s))) {
                    secrets.add(form);
                    secrets.add(new String(JsonStringEncoder.getInstance().quoteAsString(form)));
                }
            }
        }
    }

    static String xmlEscaped(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&apos;");
    }

    String apply(String text) {
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, "********");
        }
        return out;
    }
}
