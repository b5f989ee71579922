package io.mailwatchdog.cli;

import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.TargetSettings;
import java.util.ArrayList;
import java.util.List;

/** Last line of defence: replaces every configured secret in text that is about to be printed. */
final class Redactor {

    private final List<String> secrets = new ArrayList<>();

    Redactor(Settings settings) {
        for (TargetSettings t : settings.targets()) {
            String s = t.secret().reveal();
            if (s != null && s.length() >= 3) {
                secrets.add(s);
            }
        }
    }

    String apply(String text) {
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, "********");
        }
        return out;
    }
}
