package io.mailwatchdog.simulator;

/** The Odoo field types the simulated models use, by their {@code fields_get} name. */
enum FieldType {
    INTEGER("integer"),
    CHAR("char"),
    TEXT("text"),
    HTML("html"),
    BOOLEAN("boolean"),
    DATETIME("datetime"),
    SELECTION("selection"),
    MANY2ONE("many2one"),
    MANY2ONE_REFERENCE("many2one_reference");

    final String odooName;

    FieldType(String odooName) {
        this.odooName = odooName;
    }

    boolean textual() {
        return this == CHAR || this == TEXT || this == HTML || this == SELECTION;
    }
}
