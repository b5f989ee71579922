package io.mailwatchdog.history;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** The JSON of history files, and masking of the strings in it (never of its numbers or its structure). */
public final class JsonText {

    /** One object a line: no indentation, ISO instants, unknown fields of newer versions ignored. */
    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private JsonText() {
    }

    /** {@code value} as a tree whose every string has gone through {@code redact}. */
    static JsonNode redacted(Object value, UnaryOperator<String> redact) {
        JsonNode tree = JSON.valueToTree(value);
        return mask(tree, redact);
    }

    private static JsonNode mask(JsonNode node, UnaryOperator<String> redact) {
        if (node.isTextual()) {
            return TextNode.valueOf(redact.apply(node.textValue()));
        }
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                object.set(name, mask(object.get(name), redact));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, mask(array.get(i), redact));
            }
        }
        return node;
    }
}
