package io.mailwatchdog.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The keys the watchdog knows, level by level: what "unknown key" is measured against. */
final class Schema {
    enum Kind { VALUE, BLOCK, BLOCK_LIST }

    /**
     * @param children the keys of a block, or of each element of a list of blocks
     * @param noun     what one element of a list of blocks is called in messages ("target")
     * @param example  the keys shown in messages about such an element ("name = ..., url = ...")
     */
    record Node(Kind kind, Map<String, Node> children, String noun, String example) {
        static Node value() {
            return new Node(Kind.VALUE, Map.of(), null, null);
        }

        static Node block(String... keys) {
            Map<String, Node> children = new LinkedHashMap<>();
            for (String key : keys) {
                children.put(key, value());
            }
            return new Node(Kind.BLOCK, Collections.unmodifiableMap(children), null, null);
        }

        static Node block(Map<String, Node> children) {
            return new Node(Kind.BLOCK, children, null, null);
        }

        /** A list [ { ... }, { ... } ] whose elements have the keys of element. */
        static Node blockList(String noun, String example, Map<String, Node> element) {
            return new Node(Kind.BLOCK_LIST, element, noun, example);
        }
    }

    static final List<String> SECRET_KEYS = secretKeys("password");

    /** Set at the root as defaults; a target may override any of them in its own block. */
    static final Map<String, Node> OVERRIDABLE = ordered(
            "timeouts", Node.block("connect", "reply", "smtp-test"),
            "thresholds", Node.block(
                    "oldest-outgoing-warn", "oldest-outgoing-fail",
                    "scheduler-overdue-warn", "scheduler-overdue-fail",
                    "exceptions-last-hour-warn", "exceptions-last-hour-fail",
                    "scheduler-failures-warn", "scheduler-failures-fail"),
            "probe", Node.block("exception-sample", "max-response-size", "smtp-test",
                    "smtp-auth-retest-after", "concurrency"),
            "tls", Node.block("ca-file"),
            "allow-insecure-http", Node.value(),
            "mode", Node.value(),
            "schedule", Node.block("probe-interval", "smtp-test-interval"),
            "scheduler-watchdog", Node.block("enabled", "overdue-grace", "stuck-after"),
            "flush", Node.block("enabled", "after", "batch-size", "max-batches-per-run", "call-timeout"),
            "lock", Node.block("lease", "settle-interval", "quiet-window"),
            "retry", Node.block("enabled", "canary-size", "chunk-size", "rate-per-minute", "daily-quota",
                    "max-attempts", "max-age", "failure-threshold", "cool-down", "model-order"),
            "stale", Node.block("enabled", "cancel-outgoing-after", "exceptions-after", "purge", "archive-retention",
                    "batch-size", "max-batches-per-run"),
            "journal", Node.block("rotate-at", "keep", "archive-retention"));

    static final Map<String, Node> TARGET = target();

    /** One element of alerts.webhooks. */
    static final Map<String, Node> WEBHOOK = webhook();

    static final Map<String, Node> ROOT = root();

    private Schema() {
    }

    private static Map<String, Node> target() {
        Map<String, Node> keys = new LinkedHashMap<>();
        for (String key : List.of("name", "url", "database", "login")) {
            keys.put(key, Node.value());
        }
        for (String key : SECRET_KEYS) {
            keys.put(key, Node.value());
        }
        keys.putAll(OVERRIDABLE);
        return Collections.unmodifiableMap(keys);
    }

    private static Map<String, Node> webhook() {
        Map<String, Node> keys = new LinkedHashMap<>(withSecret(List.of("name"), "url"));
        keys.put("format", Node.value());
        return Collections.unmodifiableMap(keys);
    }

    /** The plain keys, then the secret's base, base-env and base-file. */
    private static Map<String, Node> withSecret(List<String> plain, String secretBase) {
        Map<String, Node> keys = new LinkedHashMap<>();
        for (String key : plain) {
            keys.put(key, Node.value());
        }
        for (String key : secretKeys(secretBase)) {
            keys.put(key, Node.value());
        }
        return Collections.unmodifiableMap(keys);
    }

    private static Map<String, Node> root() {
        Map<String, Node> keys = new LinkedHashMap<>();
        keys.put("state-dir", Node.value());
        keys.putAll(OVERRIDABLE);
        keys.put("check", Node.block("timeout"));
        keys.put("http", Node.block(withSecret(List.of("bind", "port"), "token")));
        Map<String, Node> alerts = new LinkedHashMap<>();
        alerts.put("webhooks", Node.blockList("webhook", "name = ..., url-env = ...", WEBHOOK));
        for (String key : List.of("renotify-interval", "max-attempts", "first-backoff", "request-timeout")) {
            alerts.put(key, Node.value());
        }
        keys.put("alerts", Node.block(Collections.unmodifiableMap(alerts)));
        keys.put("shutdown-grace", Node.value());
        keys.put("targets", Node.blockList("target", "name = ..., url = ...", TARGET));
        return Collections.unmodifiableMap(keys);
    }

    /** A secret's inline key and the two that say where it is: token, token-env, token-file. */
    static List<String> secretKeys(String base) {
        return List.of(base, base + "-env", base + "-file");
    }

    private static Map<String, Node> ordered(Object... keyThenNode) {
        Map<String, Node> map = new LinkedHashMap<>();
        for (int i = 0; i < keyThenNode.length; i += 2) {
            map.put((String) keyThenNode[i], (Node) keyThenNode[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
