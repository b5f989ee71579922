package io.mailwatchdog.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The keys the watchdog knows, level by level: what "unknown key" is measured against. */
final class Schema {
    enum Kind { VALUE, BLOCK, TARGET_LIST }

    record Node(Kind kind, Map<String, Node> children) {
        static Node value() {
            return new Node(Kind.VALUE, Map.of());
        }

        static Node block(String... keys) {
            Map<String, Node> children = new LinkedHashMap<>();
            for (String key : keys) {
                children.put(key, value());
            }
            return new Node(Kind.BLOCK, children);
        }
    }

    static final List<String> SECRET_KEYS = List.of("password", "password-env", "password-file");

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
            "allow-insecure-http", Node.value());

    static final Map<String, Node> TARGET = target();

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

    private static Map<String, Node> root() {
        Map<String, Node> keys = new LinkedHashMap<>();
        keys.put("state-dir", Node.value());
        keys.putAll(OVERRIDABLE);
        keys.put("check", Node.block("timeout"));
        keys.put("targets", new Node(Kind.TARGET_LIST, TARGET));
        return Collections.unmodifiableMap(keys);
    }

    private static Map<String, Node> ordered(Object... keyThenNode) {
        Map<String, Node> map = new LinkedHashMap<>();
        for (int i = 0; i < keyThenNode.length; i += 2) {
            map.put((String) keyThenNode[i], (Node) keyThenNode[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
