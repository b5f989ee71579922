package io.mailwatchdog.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * CPython's {@code set} of non-negative ints, as far as its iteration order goes (Objects/setobject.c,
 * 3.8 to 3.13: an 8-slot table, linear probing over 9 slots then perturbation, growth at 3/5 full,
 * deleted slots left as dummies). An int's hash is the int itself, so the order follows the ids modulo
 * the table size. Odoo 16.0 and 17.0 print record ids in that order ({@code list(a_set)[:6]}).
 */
final class PythonIntSet {

    private static final int MIN_SIZE = 8;
    private static final int LINEAR_PROBES = 9;
    private static final int PERTURB_SHIFT = 5;
    private static final byte EMPTY = 0;
    private static final byte ACTIVE = 1;
    private static final byte DUMMY = 2;

    private int[] keys = new int[MIN_SIZE];
    private byte[] slots = new byte[MIN_SIZE];
    private int fill;
    private int used;

    /** {@code set(a_list)}: the items added one by one. */
    static PythonIntSet of(List<Integer> items) {
        PythonIntSet set = new PythonIntSet();
        items.forEach(set::add);
        return set;
    }

    /** {@code set(a_set)}. */
    PythonIntSet copy() {
        PythonIntSet copy = new PythonIntSet();
        copy.merge(this);
        return copy;
    }

    /** {@code a_set.difference(other)}: a copy with the others discarded, or the survivors added to a new set. */
    PythonIntSet difference(PythonIntSet other) {
        if ((used >> 2) > other.used) {
            PythonIntSet result = copy();
            other.items().forEach(result::discard);
            if (result.fill - result.used > result.mask() / 4) {
                result.resize(result.used > 50_000 ? result.used * 2 : result.used * 4);
            }
            return result;
        }
        PythonIntSet result = new PythonIntSet();
        for (int key : items()) {
            if (!other.contains(key)) {
                result.add(key);
            }
        }
        return result;
    }

    /** The items in iteration order: table order. */
    List<Integer> items() {
        List<Integer> out = new ArrayList<>(used);
        for (int i = 0; i < keys.length; i++) {
            if (slots[i] == ACTIVE) {
                out.add(keys[i]);
            }
        }
        return out;
    }

    boolean contains(int key) {
        return find(key) >= 0;
    }

    private int mask() {
        return keys.length - 1;
    }

    /** set_lookkey: the slot holding the key, or -1. */
    private int find(int key) {
        int mask = mask();
        long perturb = key;
        int i = key & mask;
        while (true) {
            int probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
            for (int j = i; j <= i + probes; j++) {
                if (slots[j] == EMPTY) {
                    return -1;
                }
                if (slots[j] == ACTIVE && keys[j] == key) {
                    return j;
                }
            }
            perturb >>>= PERTURB_SHIFT;
            i = (int) ((i * 5L + 1 + perturb) & mask);
        }
    }

    /** set_add_entry: into the first free slot of the probe sequence, a dummy seen on the way first. */
    private void add(int key) {
        int mask = mask();
        long perturb = key;
        int i = key & mask;
        int freeSlot = -1;
        while (true) {
            int probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
            for (int j = i; j <= i + probes; j++) {
                if (slots[j] == EMPTY) {
                    if (freeSlot >= 0) {
                        keys[freeSlot] = key;
                        slots[freeSlot] = ACTIVE;
                        used++;
                        return;
                    }
                    keys[j] = key;
                    slots[j] = ACTIVE;
                    fill++;
                    used++;
                    if (fill * 5L >= mask * 3L) {
                        resize(used > 50_000 ? used * 2 : used * 4);
                    }
                    return;
                }
                if (slots[j] == ACTIVE && keys[j] == key) {
                    return;
                }
                if (slots[j] == DUMMY) {
                    freeSlot = j;
                }
            }
            perturb >>>= PERTURB_SHIFT;
            i = (int) ((i * 5L + 1 + perturb) & mask);
        }
    }

    private void discard(int key) {
        int slot = find(key);
        if (slot >= 0) {
            slots[slot] = DUMMY;
            used--;
        }
    }

    /** set_merge into this set: one resize up front, then the other's items in its table order. */
    private void merge(PythonIntSet other) {
        if (other.used == 0) {
            return;
        }
        if ((fill + other.used) * 5L >= mask() * 3L) {
            resize((used + other.used) * 2);
        }
        if (fill == 0 && mask() == other.mask() && other.fill == other.used) {
            keys = other.keys.clone();
            slots = other.slots.clone();
            fill = other.fill;
            used = other.used;
            return;
        }
        if (fill == 0) {
            for (int i = 0; i < other.keys.length; i++) {
                if (other.slots[i] == ACTIVE) {
                    insertClean(keys, slots, other.keys[i]);
                }
            }
            fill = other.used;
            used = other.used;
            return;
        }
        other.items().forEach(this::add);
    }

    /** set_table_resize: the smallest power of two above {@code minUsed}, items re-inserted in table order. */
    private void resize(int minUsed) {
        int size = MIN_SIZE;
        while (size <= minUsed) {
            size <<= 1;
        }
        if (size == MIN_SIZE && keys.length == MIN_SIZE && fill == used) {
            return; // the small table stays when it holds no dummy
        }
        int[] newKeys = new int[size];
        byte[] newSlots = new byte[size];
        for (int i = 0; i < keys.length; i++) {
            if (slots[i] == ACTIVE) {
                insertClean(newKeys, newSlots, keys[i]);
            }
        }
        keys = newKeys;
        slots = newSlots;
        fill = used;
    }

    /** set_insert_clean: a key known to be absent, into a table without dummies. */
    private static void insertClean(int[] keys, byte[] slots, int key) {
        int mask = keys.length - 1;
        long perturb = key;
        int i = key & mask;
        while (true) {
            int probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
            for (int j = i; j <= i + probes; j++) {
                if (slots[j] == EMPTY) {
                    keys[j] = key;
                    slots[j] = ACTIVE;
                    return;
                }
            }
            perturb >>>= PERTURB_SHIFT;
            i = (int) ((i * 5L + 1 + perturb) & mask);
        }
    }
}
