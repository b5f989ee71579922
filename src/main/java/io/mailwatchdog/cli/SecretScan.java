package io.mailwatchdog.cli;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.mailwatchdog.config.Secret;
import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.config.WebhookSettings;
import io.mailwatchdog.report.Redactor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Proof, before a file leaves the machine, that no secret of the config is in it: the targets' passwords, the
 * HTTP token and the webhook URLs, as written and escaped for JSON or XML. Like the {@link Redactor}, it skips
 * secrets shorter than 3 characters, which would match anywhere.
 */
final class SecretScan {

    private final List<byte[]> forms = new ArrayList<>();

    SecretScan(Settings settings) {
        List<Secret> secrets = new ArrayList<>(settings.targets().stream().map(TargetSettings::secret).toList());
        settings.http().token().ifPresent(secrets::add);
        settings.alerts().webhooks().stream().map(WebhookSettings::url).forEach(secrets::add);
        Set<String> texts = new LinkedHashSet<>();
        for (Secret secret : secrets) {
            String s = secret == null ? null : secret.reveal();
            if (s != null && s.length() >= 3) {
                texts.add(s);
                texts.add(Redactor.xmlEscaped(s));
                texts.add(new String(JsonStringEncoder.getInstance().quoteAsString(s)));
            }
        }
        texts.forEach(t -> forms.add(t.getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether any secret's bytes occur in {@code data}. */
    boolean foundIn(byte[] data) {
        for (byte[] form : forms) {
            if (indexOf(data, form) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(byte[] data, byte[] form) {
        outer:
        for (int i = 0; i <= data.length - form.length; i++) {
            for (int j = 0; j < form.length; j++) {
                if (data[i + j] != form[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
