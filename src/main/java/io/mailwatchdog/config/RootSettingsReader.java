package io.mailwatchdog.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Reads the daemon's keys that are set once, at the root: http and alerts. */
final class RootSettingsReader {
    static final int MAX_PORT = 65_535;
    private static final List<String> FORMATS = List.of("generic", "slack", "alertmanager");

    private final ValueReader read;
    private final SecretReader secrets;

    RootSettingsReader(ValueReader read, SecretReader secrets) {
        this.read = read;
        this.secrets = secrets;
    }

    HttpSettings http(Scope root) {
        String bind = read.requiredString(root, "http.bind",
                "the address to listen on, such as 127.0.0.1 (this machine) or 0.0.0.0 (every interface)")
                .orElse("127.0.0.1");
        int port = read.intInRange(root, "http.port", 0, MAX_PORT, "a port from 0 to " + MAX_PORT + " (0 = any free port)");
        return new HttpSettings(bind, port, secrets.read(root, SecretReader.Keys.HTTP_TOKEN));
    }

    AlertsSettings alerts(Scope root) {
        List<WebhookSettings> webhooks = webhooks(root);
        Duration renotify = read.positiveDuration(root, "alerts.renotify-interval", "4h");
        int maxAttempts = read.positiveInt(root, "alerts.max-attempts");
        Duration firstBackoff = read.positiveDuration(root, "alerts.first-backoff", "2s");
        Duration requestTimeout = read.positiveDuration(root, "alerts.request-timeout", "10s");
        return new AlertsSettings(webhooks, renotify, maxAttempts, firstBackoff, requestTimeout);
    }

    private List<WebhookSettings> webhooks(Scope root) {
        ConfigValue value = root.reachable("alerts.webhooks") ? root.value("alerts.webhooks") : null;
        if (!(value instanceof ConfigList list)) {
            return List.of(); // unset; or not a list, which KeyChecker reported
        }
        List<WebhookSettings> webhooks = new ArrayList<>();
        Map<String, Scope> firstByName = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof ConfigObject element)) {
                continue; // KeyChecker reported it
            }
            Scope w = Scope.element("alerts.webhooks", i, element);
            Optional<String> name = name(w, i);
            name.ifPresent(n -> rejectDuplicate(w, n, firstByName));
            WebhookSettings.Format format = w.value("format") == null ? WebhookSettings.Format.GENERIC
                    : read.oneOf(w, "format", FORMATS)
                    .map(f -> WebhookSettings.Format.valueOf(f.toUpperCase(Locale.ROOT)))
                    .orElse(WebhookSettings.Format.GENERIC);
            Optional<Secret> url = secrets.read(w, SecretReader.Keys.WEBHOOK_URL).filter(u -> validUrl(w, u));
            if (name.isPresent() && url.isPresent()) {
                webhooks.add(new WebhookSettings(name.get(), url.get(), format));
            }
        }
        return webhooks;
    }

    private Optional<String> name(Scope w, int index) {
        if (w.value("name") == null) {
            return Optional.of("webhook-" + index);
        }
        Optional<String> name = read.requiredString(w, "name", "a short name such as ops-slack");
        if (name.isPresent() && !TargetReader.NAME.matcher(name.get()).matches()) {
            read.problem(w, "name", "may contain only letters, digits, '.', '_' and '-' (as a target's name), got "
                    + ValueReader.got(w.value("name")));
            return Optional.empty();
        }
        return name;
    }

    private void rejectDuplicate(Scope w, String name, Map<String, Scope> firstByName) {
        Scope first = firstByName.putIfAbsent(name, w);
        if (first != null) {
            ConfigValue firstName = first.value("name");
            int line = firstName == null ? first.blockOrigin().lineNumber() : firstName.origin().lineNumber();
            read.problem(w, "name", "duplicate webhook name \"" + name + "\", already used by " + first.blockPath()
                    + " (line " + line + ")" + (w.value("name") == null ? "; set a name of its own" : ""));
        }
    }

    /**
     * Whether the URL is an absolute http or https URL; if not, a problem at the key it came from.
     * The message never quotes the URL: webhook URLs embed a token.
     */
    private boolean validUrl(Scope w, Secret url) {
        String text = url.reveal();
        String wrong;
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.isOpaque()) {
                wrong = "is not an absolute http or https URL such as https://hooks.example.com/...";
            } else if (uri.getHost() == null || uri.getHost().isBlank()) {
                wrong = "has no host name";
            } else {
                return true;
            }
        } catch (URISyntaxException e) {
            // The reason and the position only: the exception's message quotes the input.
            wrong = "is not a valid URL (" + e.getReason() + " at character " + (e.getIndex() + 1) + ")";
        }
        String key;
        String subject;
        switch (url.source()) {
            case ENV -> {
                key = "url-env";
                subject = "the URL in environment variable " + url.origin().substring("env ".length());
            }
            case FILE -> {
                key = "url-file";
                subject = "the URL in " + url.origin();
            }
            default -> {
                key = "url";
                subject = "the URL";
            }
        }
        read.problem(w, key, subject + " " + wrong + " (not shown: a webhook URL embeds a secret)");
        return false;
    }
}
