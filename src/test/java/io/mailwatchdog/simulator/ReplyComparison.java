package io.mailwatchdog.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

/**
 * Compares a simulator reply with the recorded one: the same fault code and decisive text (the last
 * line of a Fault 1 traceback, the whole message otherwise), or the same value, except that fields
 * which depend on when the recording ran (dates, generated Message-IDs) need only the same shape.
 */
final class ReplyComparison {

    /** Values that depend on the moment of the recording, compared by shape only. */
    static final Set<String> MOMENT_KEYS = Set.of("nextcall", "lastcall", "message_id", "create_date", "write_date",
            "first_failure_date");

    private ReplyComparison() {
    }

    static void assertSameReply(String name, RawXmlRpc.Reply expected, RawXmlRpc.Reply actual) {
        assertThat(actual.status()).as(name + ": HTTP status").isEqualTo(200);
        assertThat(actual.contentType()).as(name + ": content type").isEqualTo("text/xml; charset=utf-8");
        assertThat(actual.fault()).as(name + ": fault or not, got " + describe(actual)).isEqualTo(expected.fault());
        if (expected.fault()) {
            assertThat(actual.faultCode()).as(name + ": faultCode").isEqualTo(expected.faultCode());
            if (expected.faultCode() == 1) {
                assertThat(actual.faultString()).as(name + ": a traceback").startsWith("Traceback (most recent call last):\n");
                assertThat(actual.lastLine()).as(name + ": the traceback's last line").isEqualTo(expected.lastLine());
            } else {
                assertThat(actual.faultString()).as(name + ": faultString").isEqualTo(expected.faultString());
            }
            return;
        }
        if (name.contains("fields_get")) {
            assertFieldsSubset(name, expected.struct(), actual.struct());
            return;
        }
        assertSame(name, expected.value(), actual.value());
    }

    /** fields_get: every field the simulator describes is described as the real server did. */
    private static void assertFieldsSubset(String name, Map<String, Object> expected, Map<String, Object> actual) {
        assertThat(actual).as(name + ": fields").isNotEmpty();
        assertThat(expected.keySet()).as(name + ": fields the real server has").containsAll(actual.keySet());
        actual.forEach((field, attrs) -> assertSame(name + "." + field, expected.get(field), attrs));
    }

    static void assertSame(String path, Object expected, Object actual) {
        if (expected instanceof Map<?, ?> e) {
            assertThat(actual).as(path).isInstanceOf(Map.class);
            Map<?, ?> a = (Map<?, ?>) actual;
            assertThat(new java.util.HashSet<Object>(a.keySet())).as(path + ": keys").isEqualTo(new java.util.HashSet<Object>(e.keySet()));
            for (Object key : e.keySet()) {
                if (MOMENT_KEYS.contains(String.valueOf(key))) {
                    assertSameShape(path + "." + key, e.get(key), a.get(key));
                } else {
                    assertSame(path + "." + key, e.get(key), a.get(key));
                }
            }
        } else if (expected instanceof Object[] e) {
            assertThat(actual).as(path).isInstanceOf(Object[].class);
            Object[] a = (Object[]) actual;
            assertThat(a).as(path + ": length").hasSameSizeAs(e);
            for (int i = 0; i < e.length; i++) {
                assertSame(path + "[" + i + "]", e[i], a[i]);
            }
        } else {
            assertThat(actual).as(path).isEqualTo(expected);
        }
    }

    /** Same marshalled type; an empty value (False) may stand where the recording had one set, and back. */
    static void assertSameShape(String path, Object expected, Object actual) {
        if (Boolean.FALSE.equals(expected) || Boolean.FALSE.equals(actual)) {
            return;
        }
        assertThat(actual).as(path + ": type").isInstanceOf(expected.getClass());
    }

    private static String describe(RawXmlRpc.Reply r) {
        return r.fault() ? "fault " + r.faultCode() + " " + r.faultString() : String.valueOf(r.value());
    }
}
