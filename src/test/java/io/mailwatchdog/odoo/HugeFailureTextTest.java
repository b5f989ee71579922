package io.mailwatchdog.odoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A failure text of any length is classified and normalised without pathological regex work. The
 * bound is generous on purpose: it catches quadratic behaviour (minutes), not speed (see bench/).
 */
class HugeFailureTextTest {

    static final String HUGE_TOKEN = "x".repeat(1_000_000);
    static final Duration HANG = Duration.ofSeconds(20);

    @Test
    void aMegabyteReasonWithoutSpacesIsClassifiedAndNormalised() {
        String reason = "Mail Delivery Failed\nMail delivery failed via SMTP server 'smtp.example.com'.\n"
                + "SMTPRecipientsRefused: {'a@b.example': (550, b'5.1.1 Mailbox unavailable')} " + HUGE_TOKEN;
        FailureClass cls = assertTimeoutPreemptively(HANG, () -> MailFailureClassifier.classify("unknown", reason));
        assertThat(cls).isEqualTo(FailureClass.RECIPIENT);
        String signature = assertTimeoutPreemptively(HANG, () -> FailureSignature.normalize(reason));
        assertThat(signature).contains("550").doesNotContain("a@b.example").hasSizeLessThan(5000);
    }

    @Test
    void aMegabyteTokenOfDigitsAndAtSignsIsHandled() {
        String reason = "535\n" + "1@".repeat(500_000);
        assertThat(assertTimeoutPreemptively(HANG, () -> MailFailureClassifier.classify(null, reason)))
                .isEqualTo(FailureClass.AUTH);
        assertTimeoutPreemptively(HANG, () -> FailureSignature.normalize(reason));
    }

    @Test
    void aMegabyteSmtpTestFaultIsClassified() {
        String fault = "Connection Test Failed! Here is what we got instead:\n [Errno 111] Connection refused " + HUGE_TOKEN;
        SmtpTestVerdict verdict = assertTimeoutPreemptively(HANG, () -> SmtpTestClassifier.classifyFault(fault));
        assertThat(verdict.failureClass()).isEqualTo(FailureClass.TRANSPORT);
        assertThat(verdict.detail().length()).isLessThanOrEqualTo(240);
    }
}
