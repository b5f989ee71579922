package io.mailwatchdog.simulator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields, name field and default order ({@code _order}) of one simulated model. Every model has
 * Odoo's magic fields {@code id}, {@code display_name}, {@code create_date} and {@code write_date}.
 */
final class ModelSchema {

    final String name;
    final String description;
    final String defaultOrder;
    /** The field whose value is the record's display name ({@code _rec_name}); null = "model,id". */
    final String recName;
    private final Map<String, FieldDef> fields;

    private ModelSchema(String name, String description, String defaultOrder, String recName, Map<String, FieldDef> fields) {
        this.name = name;
        this.description = description;
        this.defaultOrder = defaultOrder;
        this.recName = recName;
        this.fields = Collections.unmodifiableMap(fields);
    }

    static Builder builder(String name, String description) {
        return new Builder(name, description);
    }

    FieldDef field(String fieldName) {
        return fields.get(fieldName);
    }

    boolean has(String fieldName) {
        return fields.containsKey(fieldName);
    }

    Map<String, FieldDef> fields() {
        return fields;
    }

    /** Models with {@code active} hide archived rows from searches unless the domain names {@code active}. */
    boolean hasActive() {
        return fields.containsKey("active");
    }

    static final class Builder {
        private final String name;
        private final String description;
        private String defaultOrder = "id";
        private String recName = "name";
        private final Map<String, FieldDef> fields = new LinkedHashMap<>();

        private Builder(String name, String description) {
            this.name = name;
            this.description = description;
            add(FieldDef.of("id", FieldType.INTEGER, "ID"));
            add(FieldDef.of("display_name", FieldType.CHAR, "Display Name"));
            add(FieldDef.of("create_date", FieldType.DATETIME, "Created on"));
            add(FieldDef.of("write_date", FieldType.DATETIME, "Last Updated on"));
        }

        Builder order(String order) {
            this.defaultOrder = order;
            return this;
        }

        Builder recName(String field) {
            this.recName = field;
            return this;
        }

        Builder add(FieldDef field) {
            fields.put(field.name(), field);
            return this;
        }

        /** These fields, but for those already there (the ones the simulator defines itself win). */
        Builder addAbsent(List<FieldDef> more) {
            more.forEach(f -> fields.putIfAbsent(f.name(), f));
            return this;
        }

        Builder field(String fieldName, FieldType type, String string) {
            return add(FieldDef.of(fieldName, type, string));
        }

        ModelSchema build() {
            return new ModelSchema(name, description, defaultOrder, fields.containsKey(recName) ? recName : null, fields);
        }
    }
}
