package io.mailwatchdog.simulator;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A many2many value as a client writes it: Odoo's commands (odoo/fields.py {@code Command}: 0 create,
 * 1 update, 2 delete, 3 unlink, 4 link, 5 clear, 6 set) or a plain list of ids (a set). Parsing does
 * what touches the related model at once, as Odoo does while converting the values (create, update,
 * delete, the existence check of linked ids); {@link #applyTo} then gives each record its new list.
 */
final class X2ManyCommands {

    /** What a record's list becomes: a link or unlink of one id, cleared, or set to these ids. */
    private record Step(int code, int id, List<Integer> ids) {
    }

    private static final int LINK = 4;
    private static final int UNLINK = 3;
    private static final int CLEAR = 5;
    private static final int SET = 6;

    private final List<Step> steps;

    private X2ManyCommands(List<Step> steps) {
        this.steps = steps;
    }

    /**
     * @param related the related model, or null when the simulator keeps none (ids are then taken as they come)
     */
    static X2ManyCommands parse(VersionProfile version, FieldDef field, Object wire, OrmModel related, OrmModel owner) {
        List<Step> steps = new ArrayList<>();
        List<Integer> plainIds = new ArrayList<>();
        for (Object item : OrmModel.list(wire)) {
            if (item instanceof Number n) {
                plainIds.add(n.intValue());
                continue;
            }
            if (!(item instanceof List<?> command) || command.isEmpty() || !(command.get(0) instanceof Number code)) {
                throw RpcFault.valueError(version, "Invalid command " + PyRepr.repr(item) + " for " + field.name());
            }
            int id = command.size() > 1 && command.get(1) instanceof Number n ? n.intValue() : 0;
            switch (code.intValue()) {
                case 0 -> steps.add(new Step(LINK, related(version, field, related).create(List.of(vals(command))).get(0), null));
                case 1 -> related(version, field, related).write(List.of(id), vals(command));
                case 2 -> {
                    related(version, field, related).unlink(List.of(id));
                    steps.add(new Step(UNLINK, id, null));
                }
                case 3 -> steps.add(new Step(UNLINK, id, null));
                case 4 -> steps.add(new Step(LINK, id, null));
                case 5 -> steps.add(new Step(CLEAR, 0, null));
                case 6 -> steps.add(new Step(SET, 0, ids(command.size() > 2 ? command.get(2) : null)));
                default -> throw RpcFault.valueError(version, "Invalid command " + PyRepr.repr(item) + " for " + field.name());
            }
        }
        if (!plainIds.isEmpty()) {
            steps.add(new Step(SET, 0, plainIds));
        }
        if (related != null) {
            checkLinked(steps, related, field, owner);
        }
        return new X2ManyCommands(steps);
    }

    /** The list a record holding {@code current} ends with. */
    List<Integer> applyTo(List<Integer> current) {
        Set<Integer> ids = new LinkedHashSet<>(current == null ? List.of() : current);
        for (Step s : steps) {
            switch (s.code) {
                case LINK -> ids.add(s.id);
                case UNLINK -> ids.remove(s.id);
                case CLEAR -> ids.clear();
                default -> {
                    ids.clear();
                    ids.addAll(s.ids);
                }
            }
        }
        return new ArrayList<>(ids);
    }

    private static void checkLinked(List<Step> steps, OrmModel related, FieldDef field, OrmModel owner) {
        List<Integer> missing = new ArrayList<>();
        for (Step s : steps) {
            List<Integer> linked = s.code == LINK ? List.of(s.id) : s.code == SET ? s.ids : List.of();
            for (Integer id : linked) {
                if (related.row(id) == null && !missing.contains(id)) {
                    missing.add(id);
                }
            }
        }
        if (!missing.isEmpty()) {
            throw owner.missingLinks(field, missing);
        }
    }

    private static OrmModel related(VersionProfile version, FieldDef field, OrmModel related) {
        if (related == null) {
            throw RpcFault.valueError(version, "the simulated Odoo keeps no " + field.relation() + " records to change");
        }
        return related;
    }

    private static Map<String, Object> vals(List<?> command) {
        return command.size() > 2 && command.get(2) instanceof Map<?, ?> m ? OrmModel.castMap(m) : Map.of();
    }

    private static List<Integer> ids(Object o) {
        List<Integer> out = new ArrayList<>();
        for (Object x : OrmModel.list(o)) {
            if (x instanceof Number n) {
                out.add(n.intValue());
            }
        }
        return out;
    }
}
