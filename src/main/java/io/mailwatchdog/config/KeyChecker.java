package io.mailwatchdog.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.util.Map;

/**
 * Walks what the user wrote (not the defaults) against {@link Schema}: unknown keys with a
 * suggestion, and blocks or lists that are something else. Values are never quoted here, so a
 * misspelt {@code pasword} cannot leak its value.
 */
final class KeyChecker {
    private final Problems problems;

    KeyChecker(Problems problems) {
        this.problems = problems;
    }

    void check(ConfigObject root) {
        checkBlock(root, Schema.ROOT, "");
    }

    private void checkBlock(ConfigObject block, Map<String, Schema.Node> schema, String prefix) {
        for (Map.Entry<String, ConfigValue> entry : block.entrySet()) {
            String key = entry.getKey();
            ConfigValue value = entry.getValue();
            String path = prefix + Scope.key(key);
            Schema.Node node = schema.get(key);
            if (node == null) {
                problems.add(value.origin(), path, unknownKey(key, schema));
                continue;
            }
            switch (node.kind()) {
                case VALUE -> { }
                case BLOCK -> {
                    if (value.valueType() == ConfigValueType.OBJECT) {
                        checkBlock((ConfigObject) value, node.children(), path + ".");
                    } else {
                        problems.add(value.origin(), path, "expected a block { ... }, got " + kindOf(value));
                    }
                }
                case BLOCK_LIST -> checkBlockList(value, node, path);
            }
        }
    }

    private void checkBlockList(ConfigValue value, Schema.Node node, String path) {
        if (value.valueType() != ConfigValueType.LIST) {
            problems.add(value.origin(), path, "expected a list of " + node.noun() + "s [ { "
                    + node.example() + " } ], got " + kindOf(value));
            return;
        }
        ConfigList list = (ConfigList) value;
        for (int i = 0; i < list.size(); i++) {
            ConfigValue element = list.get(i);
            String elementPath = path + "[" + i + "]";
            if (element.valueType() == ConfigValueType.OBJECT) {
                checkBlock((ConfigObject) element, node.children(), elementPath + ".");
            } else {
                problems.add(element.origin(), elementPath, "expected a " + node.noun() + " { "
                        + node.example() + " }, got " + kindOf(element));
            }
        }
    }

    private static String unknownKey(String key, Map<String, Schema.Node> valid) {
        if (valid == Schema.ROOT && Schema.TARGET.containsKey(key)) {
            return "unknown key at the root: `" + key + "` belongs inside a target in `targets`";
        }
        if (valid == Schema.TARGET && Schema.ROOT.containsKey(key)) {
            return "unknown key in a target: `" + key + "` belongs at the root, it is set once for all targets";
        }
        return "unknown key" + DidYouMean.suggest(key, valid.keySet())
                .map(s -> ", did you mean `" + s + "`?")
                .orElse("; valid keys here: " + String.join(", ", valid.keySet()));
    }

    static String kindOf(ConfigValue value) {
        return switch (value.valueType()) {
            case OBJECT -> "a block { ... }";
            case LIST -> "a list [ ... ]";
            case NULL -> "null";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
        };
    }
}
