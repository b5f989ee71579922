package io.mailwatchdog.alert;

import static io.mailwatchdog.text.Texts.human;
import static io.mailwatchdog.text.Texts.oneLine;

import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP attempt to post an alert body, asynchronous so that no thread waits on a receiver. This is
 * the one place where a webhook's URL is revealed: it goes on the wire and nowhere else; what comes
 * back is masked of it (and of its path, where Slack keeps the secret) before anyone logs it.
 */
final class WebhookSender {

    static final int BODY_SNIPPET = 200;
    private static final int BODY_READ = 2048;
    private static final String USER_AGENT = "odoo-mail-watchdog";

    private final HttpClient client;
    private final Duration timeout;
    private final Clock clock;

    WebhookSender(HttpClient client, Duration timeout, Clock clock) {
        this.client = client;
        this.timeout = timeout;
        this.clock = clock;
    }

    CompletableFuture<AttemptResult> post(Webhook webhook, String body) {
        URI uri;
        try {
            uri = new URI(webhook.url().reveal());
        } catch (URISyntaxException e) {
            // the exception quotes the URL: say what is wrong without it
            return CompletableFuture.completedFuture(AttemptResult.refused("its URL is not a valid URL", "?"));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
            return CompletableFuture.completedFuture(AttemptResult.refused("its URL is not an http(s) URL with a host", "?"));
        }
        String where = scheme + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
        List<String> masked = secretParts(uri);
        HttpRequest.Builder request = HttpRequest.newBuilder()
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        try {
            if (uri.getRawUserInfo() != null) {
                // http://user:pass@host/ (an Alertmanager behind basic auth): the JDK client does not send it by itself
                String userInfo = URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8);
                request.header("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
                uri = new URI(scheme, null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(), uri.getFragment());
            }
            request.uri(uri);
            return client.sendAsync(request.build(), info -> new CappedText(BODY_READ))
                    // HttpRequest.timeout stops at the headers; this bounds a body that trickles
                    .orTimeout(timeout.toMillis() * 2, TimeUnit.MILLISECONDS)
                    .handle((response, error) -> error == null ? judge(response, where, masked)
                            : failure(error, where, masked));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return CompletableFuture.completedFuture(AttemptResult.refused("its URL is not a valid URL", where));
        }
    }

    private AttemptResult judge(HttpResponse<String> response, String where, List<String> masked) {
        int code = response.statusCode();
        if (code >= 200 && code < 300) {
            return AttemptResult.delivered(where);
        }
        String said = snippet(response.body(), masked);
        if (code == 429 || code == 408 || code >= 500) {
            Duration retryAfter = Backoff.retryAfter(response.headers().firstValue("Retry-After").orElse(null),
                    clock.instant());
            return AttemptResult.retry("HTTP " + code + said, where, retryAfter);
        }
        if (code >= 300 && code < 400) {
            String to = response.headers().firstValue("Location").map(WebhookSender::hostOf).orElse("?");
            return AttemptResult.refused("HTTP " + code + ", a redirect to " + to + ", not followed: set the webhook's"
                    + " URL to where it points", where);
        }
        return AttemptResult.refused("HTTP " + code + said + "; not retried: the receiver refuses this request (check"
                + " the webhook's URL, credentials and format)", where);
    }

    private AttemptResult failure(Throwable error, String where, List<String> masked) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof HttpConnectTimeoutException) {
            return AttemptResult.retry("no connection within " + human(timeout), where, null);
        }
        if (e instanceof HttpTimeoutException || e instanceof TimeoutException) {
            return AttemptResult.retry("no answer within " + human(timeout), where, null);
        }
        if (e instanceof ConnectException) {
            return AttemptResult.retry("cannot connect" + (e.getMessage() == null ? " (connection refused)"
                    : " (" + mask(e.getMessage(), masked) + ")"), where, null);
        }
        if (e instanceof java.io.IOException) {
            return AttemptResult.retry(e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + mask(e.getMessage(), masked)), where, null);
        }
        return AttemptResult.refused("unexpected " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + mask(e.getMessage(), masked)), where);
    }

    /** The forms of the URL's secret parts that a message could quote: the whole URL, its user info, path and query. */
    static List<String> secretParts(URI uri) {
        List<String> parts = new ArrayList<>();
        parts.add(uri.toString());
        for (String p : new String[] {uri.getRawUserInfo(), uri.getUserInfo(), uri.getRawPath(), uri.getPath(),
                uri.getRawQuery(), uri.getQuery()}) {
            if (p != null && p.length() > 1) {
                parts.add(p);
            }
        }
        parts.sort((a, b) -> b.length() - a.length());
        return parts;
    }

    static String mask(String text, List<String> masked) {
        String out = text;
        for (String m : masked) {
            out = out.replace(m, "********");
        }
        return out;
    }

    private static String snippet(String body, List<String> masked) {
        String s = oneLine(mask(body == null ? "" : body, masked));
        if (s.isEmpty()) {
            return "";
        }
        return ": " + (s.length() <= BODY_SNIPPET ? s : s.substring(0, BODY_SNIPPET) + "…");
    }

    private static String hostOf(String location) {
        try {
            URI u = new URI(location);
            return u.getHost() == null ? "a relative location" : u.getScheme() + "://" + u.getHost();
        } catch (URISyntaxException e) {
            return "an unreadable location";
        }
    }
}
