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
    MANY2ONE_REFERENCE("many2one_reference"),
    MANY2MANY("many2many"),
    ONE2MANY("one2many"),
    BINARY("binary");

    final String odooName;

    FieldType(String odooName) {
        this.odooName = odooName;
    }

    boolean textual() {
        return this == CHAR || this == TEXT || this == HTML || this == SELECTION;
    }

    /** Rows hold these as a list of ids; {@code read} answers the list, {@code []} when empty. */
    boolean toMany() {
        return this == MANY2MANY || this == ONE2MANY;
    }

    static FieldType of(String odooName) {
        for (FieldType t : values()) {
            if (t.odooName.equals(odooName)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no simulated field type " + odooName);
    }
}
