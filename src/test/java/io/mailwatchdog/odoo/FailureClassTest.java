package io.mailwatchdog.odoo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FailureClassTest {

    @Test
    void serverSideAndTemporaryClassesAreRetryableAndTheOthersNever() {
        assertThat(Arrays.stream(FailureClass.values()).filter(FailureClass::retryable))
                .containsExactlyInAnyOrder(FailureClass.AUTH, FailureClass.TRANSPORT, FailureClass.TLS,
                        FailureClass.RATE_LIMIT, FailureClass.MAILBOX);
        assertThat(Arrays.stream(FailureClass.values()).filter(c -> !c.retryable()))
                .containsExactlyInAnyOrder(FailureClass.SENDER, FailureClass.RECIPIENT, FailureClass.CONTENT,
                        FailureClass.UNKNOWN);
    }
}
