package io.mailwatchdog.simulator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The AccessError of {@code mail.message.unlink} when some messages are linked to no document, as each
 * version words it (docs/odoo-facts-retry-cleanup.md §1): Fault 4, the refused message ids, at most 6.
 * 16.0/17.0 ({@code check_access_rule}) list them in the order of a Python set, after the set operations
 * the method makes; 18.0/19.0 ({@code _make_access_error}) in the database's row order, ascending here,
 * 19.0 as an English list ("1, 2, and 3").
 */
final class MessageUnlinkRefusal {

    private static final String TEXT = "The requested operation cannot be completed due to security restrictions. "
            + "Please contact your system administrator.\n\n(Document type: Message, Operation: unlink)";
    private static final int SHOWN = 6;

    private MessageUnlinkRefusal() {
    }

    /**
     * @param messageIds the messages being deleted, in the order of the mails in the call
     * @param allowed those of them linked to a document
     */
    static RpcFault of(VersionProfile version, List<Integer> messageIds, Collection<Integer> allowed, int uid) {
        if (version.major <= 17) {
            return RpcFault.accessError(TEXT + " - (Records: " + PyRepr.repr(setOrder(messageIds, allowed)) + ", User: " + uid + ")");
        }
        TreeSet<Integer> refused = new TreeSet<>(messageIds);
        refused.removeAll(allowed);
        List<Integer> shown = new ArrayList<>(refused).subList(0, Math.min(SHOWN, refused.size()));
        String records = version.major >= 19 ? englishList(shown) : PyRepr.repr(shown);
        return RpcFault.accessError(TEXT + "\n\nRecords: " + records + ", User: " + uid);
    }

    /** {@code check_access_rule('unlink')} of 16.0/17.0: the set differences it makes, in order, then {@code [:6]}. */
    private static List<Integer> setOrder(List<Integer> messageIds, Collection<Integer> allowed) {
        PythonIntSet none = PythonIntSet.of(List.of());
        PythonIntSet toCheck = PythonIntSet.of(messageIds).difference(none); // minus the authors (none for unlink)
        toCheck = toCheck.copy().difference(none);                           // minus the notified (none for unlink)
        toCheck = toCheck.difference(PythonIntSet.of(new ArrayList<>(allowed)));
        toCheck = toCheck.difference(none).difference(none);                // the create-only conditions
        List<Integer> items = toCheck.items();
        return items.subList(0, Math.min(SHOWN, items.size()));
    }

    /** babel's {@code format_list} for en_US, which 19.0's {@code _()} applies to list arguments. */
    private static String englishList(List<Integer> ids) {
        List<String> items = ids.stream().map(String::valueOf).toList();
        return switch (items.size()) {
            case 1 -> items.get(0);
            case 2 -> items.get(0) + " and " + items.get(1);
            default -> String.join(", ", items.subList(0, items.size() - 1)) + ", and " + items.get(items.size() - 1);
        };
    }
}
