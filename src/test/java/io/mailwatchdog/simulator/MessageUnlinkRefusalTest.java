package io.mailwatchdog.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The refused message ids in the AccessError of {@code mail.message.unlink}, per version. The 16.0/17.0
 * expectations were computed by CPython 3.11 (Odoo's interpreter on the harness) running the set
 * operations of {@code check_access_rule('unlink')}; the first two were also seen on real servers.
 */
class MessageUnlinkRefusalTest {

    static Stream<Arguments> pythonSetOrders() {
        return Stream.of(
                // messages (in the order of the mails in the call), those with a document, what Odoo prints
                Arguments.of(List.of(2336, 2335, 2334), List.of(), List.of(2336, 2334, 2335)),
                Arguments.of(List.of(3601, 3600, 3599, 3598, 3597, 3596, 3595), List.of(), List.of(3600, 3601, 3595, 3596, 3597, 3598)),
                Arguments.of(List.of(2358, 2359, 2360, 2361, 2362, 2363, 2364), List.of(), List.of(2358, 2359, 2360, 2361, 2362, 2363)),
                Arguments.of(List.of(3535, 3536), List.of(3535), List.of(3536)),
                Arguments.of(List.of(8, 16, 24, 32, 40, 48, 56, 64, 72), List.of(), List.of(32, 64, 8, 40, 72, 16)),
                Arguments.of(List.of(7, 15, 23, 31, 39, 47, 55, 63, 71, 79, 87, 95), List.of(15, 47), List.of(39, 7, 71, 79, 23, 87)),
                Arguments.of(List.of(100, 228, 356, 484, 612, 740, 868, 996, 1124, 1252), List.of(228),
                        List.of(356, 612, 484, 100, 740, 868)),
                Arguments.of(range(1000, 1040), range(1000, 1030), List.of(1030, 1031, 1032, 1033, 1034, 1035)),
                Arguments.of(descending(5019, 5000), List.of(5001, 5003, 5005, 5007, 5009, 5011, 5013, 5015),
                        List.of(5000, 5002, 5004, 5006, 5008, 5010)),
                Arguments.of(List.of(12, 44, 76, 108, 140, 172, 204, 236, 9, 41, 73), List.of(44, 140, 9),
                        List.of(73, 41, 108, 12, 76, 172)),
                Arguments.of(List.of(2653, 1236, 3235, 396, 594), List.of(594), List.of(396, 3235, 1236, 2653)),
                Arguments.of(List.of(772, 2996, 4775, 476, 4157, 1759, 308, 705, 3553), List.of(308, 2996, 705),
                        List.of(3553, 772, 4775, 476, 4157, 1759)),
                Arguments.of(List.of(744, 4515, 3478, 485, 4633, 1015, 1829, 4776, 507, 4728, 4797, 3250, 407, 1812, 382, 4561, 1091),
                        List.of(4728, 1812, 3478, 507, 4515), List.of(1091, 485, 1829, 744, 4776, 4561)),
                Arguments.of(List.of(4677, 2528, 4590, 1481, 845, 4765, 4680, 1540, 3051, 799, 4488, 515, 4624, 489, 1688, 4067, 4356,
                                3503, 2574, 3815, 4797, 3713, 2963, 2456, 2036, 1473, 2000, 671, 4706, 2460, 4303, 4056, 2814),
                        List.of(4706, 2574, 3815, 4590, 1481, 4356, 489, 4765, 2036, 4488, 845),
                        List.of(3713, 1473, 515, 1540, 4677, 4680)));
    }

    @ParameterizedTest
    @MethodSource("pythonSetOrders")
    void odooSixteenAndSeventeenListTheRefusedMessagesInTheOrderOfAPythonSet(List<Integer> messages, List<Integer> allowed,
                                                                              List<Integer> printed) {
        for (VersionProfile v : List.of(VersionProfile.V16, VersionProfile.V17)) {
            RpcFault fault = MessageUnlinkRefusal.of(v, messages, allowed, 2);

            assertThat(fault.code).isEqualTo(4);
            assertThat(fault.faultString).isEqualTo("The requested operation cannot be completed due to security restrictions."
                    + " Please contact your system administrator.\n\n(Document type: Message, Operation: unlink) - (Records: "
                    + PyRepr.repr(printed) + ", User: 2)");
        }
    }

    @Test
    void odooEighteenListsAtMostSixRefusedMessagesAscendingAsAPythonList() {
        RpcFault fault = MessageUnlinkRefusal.of(VersionProfile.V18, descending(3505, 3498), List.of(3503), 2);

        assertThat(fault.faultString).endsWith("(Document type: Message, Operation: unlink)\n\n"
                + "Records: [3498, 3499, 3500, 3501, 3502, 3504], User: 2");
    }

    @Test
    void odooNineteenListsTheRefusedMessagesAsAnEnglishSentence() {
        assertThat(MessageUnlinkRefusal.of(VersionProfile.V19, List.of(1837), List.of(), 2).faultString).endsWith("\n\nRecords: 1837, User: 2");
        assertThat(MessageUnlinkRefusal.of(VersionProfile.V19, List.of(9, 8), List.of(), 2).faultString).endsWith("Records: 8 and 9, User: 2");
        assertThat(MessageUnlinkRefusal.of(VersionProfile.V19, descending(1871, 1865), List.of(), 2).faultString)
                .endsWith("Records: 1865, 1866, 1867, 1868, 1869, and 1870, User: 2");
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    /** From {@code first} down to {@code last}: newest first, as a purge reading mail.mail's order passes them. */
    private static List<Integer> descending(int first, int last) {
        return IntStream.rangeClosed(last, first).map(i -> first + last - i).boxed().toList();
    }
}
