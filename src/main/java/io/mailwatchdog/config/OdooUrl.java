package io.mailwatchdog.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Rules for a target's {@code url}. Messages never echo the URL itself: a URL with
 * {@code user:password@} in it is exactly the one that must not be printed.
 */
final class OdooUrl {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final List<String> CLUSTER_SUFFIXES =
            List.of(".svc", ".svc.cluster.local", ".cluster.local", ".internal", ".localhost");

    private OdooUrl() {
    }

    /** The base URL without trailing slashes, or empty after reporting what is wrong. */
    static Optional<URI> parse(String raw, Consumer<String> problem) {
        String text = raw.trim();
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            problem.accept("not a valid URL: " + e.getReason() + " at character " + (e.getIndex() + 1));
            return Optional.empty();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
            problem.accept("expected an absolute http:// or https:// URL such as https://erp.example.com"
                    + (scheme.isEmpty() ? "" : ", got scheme " + scheme + ":"));
            return Optional.empty();
        }
        boolean ok = true;
        if (uri.getRawUserInfo() != null) {
            problem.accept("must not contain user:password@ (it would leak the password into logs);"
                    + " set login and one of password, password-env, password-file instead");
            ok = false;
        }
        if (uri.getHost() == null) {
            problem.accept("has no host name");
            ok = false;
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            problem.accept("must not have a query (?...) or fragment (#...): give Odoo's base URL,"
                    + " such as https://erp.example.com or https://example.com/odoo");
            ok = false;
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.contains("/xmlrpc")) {
            problem.accept("give Odoo's base URL without /xmlrpc/... (a proxy prefix such as /odoo is fine)");
            ok = false;
        }
        if (!ok) {
            return Optional.empty();
        }
        return Optional.of(URI.create(text.replaceAll("/+$", "")));
    }

    /** Plain http is tolerated only where the password does not cross a network someone else runs. */
    static boolean isLocalHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.startsWith("[") && h.endsWith("]")) {
            return isLoopbackLiteral(h.substring(1, h.length() - 1));
        }
        if (IPV4.matcher(h).matches()) {
            return h.startsWith("127.");
        }
        if (h.equals("localhost") || !h.contains(".")) {
            return true;
        }
        String name = h;
        return CLUSTER_SUFFIXES.stream().anyMatch(name::endsWith);
    }

    private static boolean isLoopbackLiteral(String literal) {
        try {
            // Only bracketed IPv6 literals get here: parsed, never looked up in DNS.
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
