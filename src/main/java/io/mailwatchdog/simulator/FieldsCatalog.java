package io.mailwatchdog.simulator;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code fields_get} answers: cut from the real replies of each version (resources fields/, see its
 * README) where a capture exists, otherwise described from the simulator's own schema.
 */
final class FieldsCatalog {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Map<String, Map<String, Object>>> CAPTURED = new ConcurrentHashMap<>();
    private static final Map<String, Object> NONE = Map.of();

    private FieldsCatalog() {
    }

    static Map<String, Object> fieldsGet(ModelSchema schema, VersionProfile version, Collection<?> only,
                                         Collection<?> attributes) {
        Map<String, Map<String, Object>> all = captured(schema.name, version);
        if (all == null) {
            all = describe(schema);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Object>> e : all.entrySet()) {
            if (!schema.has(e.getKey()) || only != null && !only.isEmpty() && !only.contains(e.getKey())) {
                continue;
            }
            Map<String, Object> attrs = new LinkedHashMap<>();
            e.getValue().forEach((k, v) -> {
                if (attributes == null || attributes.isEmpty() || attributes.contains(k)) {
                    attrs.put(k, v);
                }
            });
            out.put(e.getKey(), attrs);
        }
        return out;
    }

    /**
     * Every field of the model's capture for this version, as simulator fields (type, label, relation
     * where captured, selection values); empty without a capture.
     */
    static List<FieldDef> capturedFields(String model, VersionProfile version) {
        Map<String, Map<String, Object>> all = captured(model, version);
        List<FieldDef> out = new ArrayList<>();
        if (all != null) {
            all.forEach((name, attrs) -> {
                List<String> values = new ArrayList<>();
                if (attrs.get("selection") instanceof List<?> pairs) {
                    pairs.forEach(p -> values.add(String.valueOf(((List<?>) p).get(0))));
                }
                out.add(new FieldDef(name, FieldType.of(String.valueOf(attrs.get("type"))), String.valueOf(attrs.get("string")),
                        (String) attrs.get("relation"), List.copyOf(values)));
            });
        }
        return out;
    }

    private static Map<String, Map<String, Object>> captured(String model, VersionProfile version) {
        Map<String, Map<String, Object>> exact = load(model + "." + version.major);
        return exact != null ? exact : load(model + ".18");
    }

    private static Map<String, Map<String, Object>> load(String name) {
        Map<String, Map<String, Object>> cached = CAPTURED.computeIfAbsent(name, n -> {
            try (InputStream in = FieldsCatalog.class.getResourceAsStream("fields/" + n + ".json")) {
                if (in == null) {
                    return Map.of("", NONE); // remembered absence
                }
                return JSON.readValue(in, new TypeReference<LinkedHashMap<String, Map<String, Object>>>() { });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return cached.containsKey("") ? null : cached;
    }

    private static Map<String, Map<String, Object>> describe(ModelSchema schema) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (FieldDef f : schema.fields().values()) {
            Map<String, Object> attrs = new LinkedHashMap<>();
            if (f.relation() != null) {
                attrs.put("relation", f.relation());
            }
            if (!f.selection().isEmpty()) {
                List<Object> pairs = new ArrayList<>();
                f.selection().forEach(v -> pairs.add(List.of(v, v)));
                attrs.put("selection", pairs);
            }
            attrs.put("store", !"display_name".equals(f.name()));
            attrs.put("string", f.string());
            attrs.put("type", f.type().odooName);
            out.put(f.name(), attrs);
        }
        return out;
    }
}
