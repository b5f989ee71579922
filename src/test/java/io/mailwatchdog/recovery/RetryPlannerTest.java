package io.mailwatchdog.recovery;

import static io.mailwatchdog.recovery.RetryJournal.SEND_TAKES;
import static io.mailwatchdog.recovery.RetryJournal.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.mailwatchdog.config.RetrySettings;
import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.SettingsLoader;
import io.mailwatchdog.odoo.FailedMail;
import io.mailwatchdog.odoo.FailureClass;
import io.mailwatchdog.odoo.FailureSignature;
import io.mailwatchdog.odoo.MailFailureClassifier;
import io.mailwatchdog.probe.ServerSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The safe retry's policy (DESIGN.md "Safe recovery", reference.conf {@code retry { }}) as a pure function
 * of the exceptions, the server tests, the journal's history, the policy and the time.
 */
class RetryPlannerTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final Instant MIDNIGHT = Instant.parse("2026-11-23T00:00:00Z");
    static final Instant NEXT_MIDNIGHT = Instant.parse("2026-11-24T00:00:00Z");
    static final String MAX_AGE_REASON = "created more than max-age (48 h) ago";

    // ---------------------------------------------------------------------------------------------------------
    // Evidence: failure_type and failure_reason as Odoo 16-19 write them (see MailFailureClassifierTest)

    record Evidence(String failureType, String failureReason) {
    }

    /** send_email's wrapper of a send-time exception (ir_mail_server.py), failure_type 'unknown'. */
    static Evidence sendTime(String exception) {
        return new Evidence("unknown", "Mail Delivery Failed\nMail delivery failed via SMTP server 'smtp.example.com'.\n"
                + exception);
    }

    /** exception_to_unicode of a connect-time exception, failure_type False. */
    static Evidence connectTime(String reason) {
        return new Evidence(null, reason);
    }

    static final Map<FailureClass, Evidence> EVIDENCE = new EnumMap<>(Map.of(
            FailureClass.TRANSPORT, connectTime("111\nConnection refused"),
            FailureClass.AUTH, connectTime("535\nb'5.7.8 Username and Password not accepted. For more information, go to"
                    + "\\n5.7.8  https://support.google.com/mail/?p=BadCredentials d2e1a72fcca58-6f1e5a1b2c3sm1234567b3a.12"
                    + " - gsmtp'"),
            FailureClass.TLS, connectTime("1\n[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed"
                    + " certificate (_ssl.c:1006)"),
            FailureClass.SENDER, sendTime("SMTPSenderRefused: (553, b'5.7.1 <odoo@example.com>: Sender address rejected:"
                    + " not owned by user bot@example.com', 'odoo@example.com')"),
            FailureClass.RATE_LIMIT, sendTime("SMTPDataError: (451, b'4.7.1 Rate limit exceeded, try again later')"),
            FailureClass.MAILBOX, sendTime("SMTPRecipientsRefused: {'full@example.org': (552, b'5.2.2 Mailbox full,"
                    + " quota exceeded')}"),
            FailureClass.RECIPIENT, sendTime("SMTPRecipientsRefused: {'nobody@example.org': (550, b'5.1.1 User unknown')}"),
            FailureClass.CONTENT, sendTime("SMTPDataError: (554, b'5.7.1 Message rejected as spam by Content Filtering.')"),
            FailureClass.UNKNOWN, connectTime("Error without exception. Probably due to sending an email without computed"
                    + " recipients.")));

    // ---------------------------------------------------------------------------------------------------------
    // Mails: failed ten minutes ago, created an hour ago (a second older per id), model res.partner

    static FailedMail mail(int id, FailureClass c) {
        Evidence e = EVIDENCE.get(c);
        return new FailedMail(id, e.failureType(), e.failureReason(), minutesAgo(10),
                NOW.minus(Duration.ofHours(1)).minusSeconds(id), "res.partner");
    }

    static List<FailedMail> mails(FailureClass c, Integer... ids) {
        return Arrays.stream(ids).map(id -> mail(id, c)).toList();
    }

    static FailedMail created(FailedMail m, Instant at) {
        return new FailedMail(m.id(), m.failureType(), m.failureReason(), m.writeDate(), at, m.model());
    }

    static FailedMail failed(FailedMail m, Instant at) {
        return new FailedMail(m.id(), m.failureType(), m.failureReason(), at, m.createDate(), m.model());
    }

    static FailedMail ofModel(FailedMail m, String model) {
        return new FailedMail(m.id(), m.failureType(), m.failureReason(), m.writeDate(), m.createDate(), model);
    }

    static FailedMail withReason(FailedMail m, String failureType, String failureReason) {
        return new FailedMail(m.id(), failureType, failureReason, m.writeDate(), m.createDate(), m.model());
    }

    static Instant minutesAgo(long minutes) {
        return NOW.minus(Duration.ofMinutes(minutes));
    }

    static Instant ago(Duration d) {
        return NOW.minus(d);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Servers: active ir.mail_server records and the verdict of their connection test

    static ServerSnapshot server(String name, ServerSnapshot.SmtpTest test) {
        return new ServerSnapshot(name.hashCode() & 0xffff, name, name + ".example.com", 587, "odoo@example.com",
                "starttls", 10, null, test);
    }

    static ServerSnapshot passed(String name, Instant testedAt) {
        return server(name, new ServerSnapshot.SmtpTest("PASS", null, "250 2.0.0 OK", testedAt, null));
    }

    static ServerSnapshot failing(String name, String failureClass, Instant testedAt) {
        return server(name, new ServerSnapshot.SmtpTest("FAIL", failureClass,
                "535 5.7.8 Username and Password not accepted", testedAt, null));
    }

    static ServerSnapshot tested(String name, String outcome, Instant testedAt) {
        return server(name, new ServerSnapshot.SmtpTest(outcome, null, "no verdict", testedAt, null));
    }

    static ServerSnapshot untested(String name) {
        return server(name, null);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Policy: reference.conf's retry { } block, enabled

    static final class Policy {
        boolean enabled = true;
        int canarySize = 5;
        int chunkSize = 100;
        int ratePerMinute = 60;
        int dailyQuota = 0;
        int maxAttempts = 3;
        Duration maxAge = Duration.ofHours(48);
        double failureThreshold = 0.2;
        Duration coolDown = Duration.ofMinutes(30);
        List<String> modelOrder = List.of("res.users", "account.move");

        RetrySettings build() {
            return new RetrySettings(enabled, canarySize, chunkSize, ratePerMinute, dailyQuota, maxAttempts, maxAge,
                    failureThreshold, coolDown, modelOrder);
        }
    }

    static RetryRequest operator(FailureClass... classes) {
        return new RetryRequest(true, Set.of(classes), null, 0);
    }

    /** One planning: by default the daemon, reference.conf's policy, one server tested a minute ago, no journal. */
    static final class Scenario {
        final Policy policy = new Policy();
        RetryRequest request = RetryRequest.daemon();
        final List<FailedMail> mails = new ArrayList<>();
        int olderThanMaxAge;
        List<ServerSnapshot> servers = List.of(passed("smtp-main", minutesAgo(1)));
        final RetryJournal journal = new RetryJournal();
        Instant now = NOW;

        Scenario policy(Consumer<Policy> change) {
            change.accept(policy);
            return this;
        }

        Scenario request(RetryRequest r) {
            request = r;
            return this;
        }

        Scenario mails(List<FailedMail> more) {
            mails.addAll(more);
            return this;
        }

        Scenario mails(FailedMail... more) {
            return mails(List.of(more));
        }

        Scenario olderThanMaxAge(int n) {
            olderThanMaxAge = n;
            return this;
        }

        Scenario servers(ServerSnapshot... s) {
            servers = List.of(s);
            return this;
        }

        Scenario journal(Consumer<RetryJournal> write) {
            write.accept(journal);
            return this;
        }

        Scenario at(Instant t) {
            now = t;
            return this;
        }

        RetryPlan plan() {
            return RetryPlanner.plan("prod", policy.build(), request, List.copyOf(mails), olderThanMaxAge, servers,
                    journal.history(now), now);
        }
    }

    static Scenario given() {
        return new Scenario();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Reading a plan

    static RetryPlan.Left left(RetryPlan p, FailureClass c) {
        List<RetryPlan.Left> of = p.left().stream().filter(l -> l.failureClass() == c).toList();
        assertThat(of).as("left alone of class %s in %s", c, p.left()).hasSize(1);
        return of.get(0);
    }

    static RetryPlan.Left leftFor(RetryPlan p, String reasonStart) {
        List<RetryPlan.Left> of = p.left().stream().filter(l -> l.reason().startsWith(reasonStart)).toList();
        assertThat(of).as("left alone for '%s' in %s", reasonStart, p.left()).hasSize(1);
        return of.get(0);
    }

    /** The canary, then every chunk: the order the plan would requeue in. */
    static List<Integer> inOrder(RetryPlan p) {
        return Stream.concat(p.canary().stream(), p.chunks().stream().flatMap(List::stream)).toList();
    }

    static Integer[] rangeIds(int first, int last) {
        return IntStream.rangeClosed(first, last).boxed().toArray(Integer[]::new);
    }

    // =========================================================================================================

    @Test
    void theseTestsPlanWithReferenceConfsRetryPolicy(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("w.conf");
        Files.writeString(file, "state-dir = \"" + dir.resolve("state") + "\"\n"
                + "targets = [ { name = prod, url = \"http://127.0.0.1:8069\", database = db, login = a, password = pw } ]\n");
        Settings s = SettingsLoader.load(Optional.of(file), Map.of());
        Policy defaults = new Policy();
        defaults.enabled = false;

        assertThat(s.targets().get(0).retry()).isEqualTo(defaults.build());
    }

    @ParameterizedTest
    @EnumSource(FailureClass.class)
    void theEvidenceOfTheseTestsClassifiesAsItsClass(FailureClass c) {
        Evidence e = EVIDENCE.get(c);
        assertThat(MailFailureClassifier.classify(e.failureType(), e.failureReason())).isEqualTo(c);
    }

    @Nested
    class FailureClassesAndTheGate {

        @Test
        void serverCausedFailuresAreRetriedOnceEveryServerTestPassedAfterTheyBegan() {
            RetryPlan p = given()
                    .mails(failed(mail(1, FailureClass.TRANSPORT), minutesAgo(30)), failed(mail(2, FailureClass.AUTH),
                            minutesAgo(20)), failed(mail(3, FailureClass.TLS), minutesAgo(25)))
                    .servers(passed("smtp-main", minutesAgo(5)), passed("smtp-bulk", minutesAgo(2)))
                    .plan();

            assertThat(p.next()).isEqualTo(RetryPlan.Next.CANARY);
            assertThat(p.canary()).containsExactlyInAnyOrder(1, 2, 3);
            assertThat(p.eligible()).isEqualTo(Map.of(FailureClass.TRANSPORT, 1, FailureClass.AUTH, 1, FailureClass.TLS, 1));
            assertThat(p.left()).isEmpty();
            assertThat(p.why()).isEqualTo("canary first: every server test passed since the failures began");
        }

        @ParameterizedTest
        @EnumSource(names = {"TRANSPORT", "AUTH", "TLS"})
        void serverCausedFailuresAreRefusedWhileOneServerLastPassedBeforeTheyBegan(FailureClass c) {
            RetryPlan p = given()
                    .mails(failed(mail(1, c), minutesAgo(30)))
                    .servers(passed("smtp-main", minutesAgo(5)), passed("smtp-bulk", ago(Duration.ofHours(2))))
                    .plan();

            assertThat(p.next()).isEqualTo(RetryPlan.Next.REFUSED);
            assertThat(p.why()).startsWith("the gate is closed: no SMTP test passed since the failures began ("
                    + minutesAgo(30) + ")").contains("smtp-bulk (tested " + ago(Duration.ofHours(2)) + ")")
                    .doesNotContain("smtp-main");
            assertThat(p.left()).containsExactly(new RetryPlan.Left(c, p.why(), 1, List.of(1)));
            assertThat(p.planned()).isZero();
            assertThat(p.batchNow()).isEmpty();
            assertThat(p.eligible()).isEmpty();
            assertThat(p.signatures()).isEmpty();
        }

        @Test
        void aTestThatPassedTheMomentTheFailuresBeganOpensTheGateAndOneASecondEarlierDoesNot() {
            Instant began = minutesAgo(30);
            FailedMail m = failed(mail(1, FailureClass.TRANSPORT), began);

            assertThat(given().mails(m).servers(passed("smtp-main", began)).plan().next())
                    .isEqualTo(RetryPlan.Next.CANARY);
            assertThat(given().mails(m).servers(passed("smtp-main", began.minusSeconds(1))).plan().next())
                    .isEqualTo(RetryPlan.Next.REFUSED);
        }

        @Test
        void theGateWantsATestAfterTheEarliestOfTheServerCausedFailures() {
            List<FailedMail> mails = List.of(failed(mail(1, FailureClass.TRANSPORT), ago(Duration.ofHours(3))),
                    failed(mail(2, FailureClass.TRANSPORT), minutesAgo(10)),
                    failed(mail(3, FailureClass.AUTH), minutesAgo(20)));

            RetryPlan before = given().mails(mails).servers(passed("smtp-main", ago(Duration.ofHours(4)))).plan();
            assertThat(before.next()).isEqualTo(RetryPlan.Next.REFUSED);
            assertThat(before.why()).contains("since the failures began (" + ago(Duration.ofHours(3)) + ")");
            assertThat(left(before, FailureClass.TRANSPORT).count()).isEqualTo(2);
            assertThat(left(before, FailureClass.AUTH).count()).isEqualTo(1);

            RetryPlan between = given().mails(mails).servers(passed("smtp-main", ago(Duration.ofHours(1)))).plan();
            assertThat(between.next()).isEqualTo(RetryPlan.Next.CANARY);
            assertThat(between.canary()).containsExactly(1, 2, 3);
        }

        @ParameterizedTest
        @EnumSource(names = {"RATE_LIMIT", "MAILBOX"})
        void temporaryFailuresNeedNoFreshServerTest(FailureClass c) {
            RetryPlan p = given()
                    .mails(mail(1, c))
                    .servers(passed("smtp-main", ago(Duration.ofDays(3))))
                    .plan();

            assertThat(p.next()).isEqualTo(RetryPlan.Next.CANARY);
            assertThat(p.canary()).containsExactly(1);
            assertThat(p.eligible()).isEqualTo(Map.of(c, 1));
        }

        @Test
        void temporaryFailuresGoAheadWhileTheGateHoldsBackOnlyTheServerCausedOnes() {
            RetryPlan p = given()
                    .mails(failed(mail(1, FailureClass.TRANSPORT), minutesAgo(30)), mail(2, FailureClass.RATE_LIMIT),
                            mail(3, FailureClass.MAILBOX))
                    .servers(passed("smtp-main", ago(Duration.ofHours(2))))
                    .plan();

            assertThat(p.next()).isEqualTo(RetryPlan.Next.CANARY);
            assertThat(p.canary()).containsExactly(2, 3);
            assertThat(left(p, FailureClass.TRANSPORT).reason()).startsWith("the gate is closed").contains("smtp-main");
            assertThat(left(p, FailureClass.TRANSPORT).examples()).containsExactly(1);
        }

        @ParameterizedTest
        @EnumSource(names = {"TRANSPORT", "AUTH", "TLS", "RATE_LIMIT", "MAILBOX"})
        void aFailingServerTestBlocksEveryClass(FailureClass c) {
            RetryPlan p = given()
                    .mails(mail(1, c))
                    .servers(passed("smtp-main", minutesAgo(1)), failing("smtp-bulk", "AUTH", minutesAgo(1)))
                    .plan();

            assertThat(p.next()).isEqualTo(RetryPlan.Next.REFUSED);
            assertThat(p.why()).isEqualTo("the gate is closed: the SMTP test of smtp-bulk (AUTH) fails");
            assertThat(left(p, c).reason()).isEqualTo(p.why());
            assertThat(p.batchNow()).isEmpty();
        }

        @Test
        void aFailingServerTestBlocksEvenAnOperatorsSenderRetry() {
            RetryPlan p = given()
                    .request(operator(FailureClass.SENDER))
                    .mails(mail(1, FailureClass.SENDER))
                    .servers(failing("smtp-main", "TRANSPORT", minutesAgo(1)))
                    .plan();

            assertThat(p.next()).isEqualTo(RetryPlan.Next.REFUSED);
            assertThat(p.why()).contains("smtp-main (TRANSPORT) fails");
        }

        @Test
        void senderFailuresAreRetriedOnlyForAnOperatorWhoNamesSender() {
            List<FailedMail> sender = mails(FailureClass.SENDER, 1, 2);
            String onlyAnOperator = "SENDER: only an operator's retry --class SENDER --apply";

            RetryPlan daemon = given().mails(sender).plan();
            assertThat(daemon.next()).isEqualTo(RetryPlan.Next.NOTHING);
            assertThat(left(daemon, FailureClass.SENDER).reason()).startsWith(onlyAnOperator);
            assertThat(left(daemon, FailureClass.SENDER).count()).isEqualTo(2);

            RetryPlan anyClass = given().request(operator()).mails(sender).plan();
            assertThat(anyClass.next()).isEqualTo(RetryPlan.Next.NOTHING);
            assertThat(left(anyClass, FailureClass.SENDER).reason()).startsWith(onlyAnOperator);

            RetryPlan named = given().request(operator(FailureClass.SENDER, FailureClass.RATE_LIMIT)).mails(sender).plan();
            assertThat(named.next()).isEqualTo(RetryPlan.Next.CANARY);
            assertThat(named.canary()).containsExactly(1, 2);
            assertThat(named.eligible()).isEqualTo(Map.of(FailureClass.SENDER, 2));
        }

        @ParameterizedTest
        @EnumSource(names = {"RECIPIENT", "CONTENT", "UNKNOWN"})
        void recipientContentAndUnknownFailuresAreNeverRetriedEvenWhenEverythingElseIsEligible(FailureClass c) {
            RetryPlan daemon = given().mails(mails(c, 1, 2, 3)).plan();

            assertThat(daemon.next()).isEqualTo(RetryPlan.Next.NOTHING);
            assertThat(daemon.why()).isEqualTo("no mail is eligible for a retry");
            assertThat(left(daemon, c).reason()).startsWith("never retried");
            assertThat(left(daemon, c).count()).isEqualTo(3);
            assertThat(daemon.planned()).isZero();

            RetryPlan operator = given().request(operator(c, FailureClass.SENDER)).mails(mails(c, 1, 2, 3)).plan();
            assertThat(operator.next()).isEqualTo(RetryPlan.Next.NOTHING);
            assertThat(left(operator, c).reason()).startsWith("never retried");
        }

        @Test
        void recipientFailuresAreNeverRetriedEvenWhenEverythingElseIsEligible() {
            RetryPlan p = given()
                    .mails(mail(1, FailureClass.RECIPIENT), mail(2, FailureClass.RATE_LIMIT))
                    .plan();

            assertThat(p.next()).isEqualTo(RetryPlan.Next.CANARY);
            assertThat(inOrder(p)).containsExactly(2);
            assertThat(left(p, FailureClass.RECIPIENT).reason()).isEqualTo("never retried: the recipient is refused or"
                    + " invalid (fix the address, then use Odoo's Retry)");
            assertThat(p.signatures()).containsOnlyKeys(2);
        }

        @ParameterizedTest
        @ValueSource(strings = {"mail_email_invalid", "mail_email_missing", "mail_bl", "mail_optout", "mail_dup"})
        void mailsOdooExcludedItselfAreNeverRetried(String failureType) {
            RetryPlan p = given()
                    .request(operator(FailureClass.RECIPIENT))
                    .mails(withReason(mail(1, FailureClass.RATE_LIMIT), failureType, null))
                    .plan();

            assertThat(p.next()).isEqualTo(RetryPlan.Next.NOTHING);
            assertThat(left(p, FailureClass.RECIPIENT).examples()).containsExactly(1);
        }

        @Test
        void withoutAnyMailServerTheCanaryIsTheGate() {
            RetryPlan p = given()
                    .mails(failed(mail(1, FailureClass.TRANSPORT), minutesAgo(30)), mail(2, FailureClass.AUTH))
                    .servers()
                    .plan();

            assertThat(p.next()).isEqualTo(RetryPlan.Next.CANARY);
            assertThat(p.canary()).containsExactly(1, 2);
            assertThat(p.why()).isEqualTo("canary first; it is also the gate (no ir.mail_server: Odoo sends through its"
                    + " configuration file's SMTP server)");
        }

        @ParameterizedTest
        @ValueSource(strings = {"INCONCLUSIVE", "NOT_TESTED"})
        void aServerTestThatProvesNothingMakesTheCanaryTheGate(String outcome) {
            RetryPlan p = given()
                    .mails(failed(mail(1, FailureClass.TRANSPORT), minutesAgo(30)))
                    .servers(passed("smtp-main", minutesAgo(5)), tested("smtp-relay", outcome, minutesAgo(1)))
                    .plan();

            assertThat(p.next()).isEqualTo(RetryPlan.Next.CANARY);
            assertThat(p.canary()).containsExactly(1);
            assertThat(p.why()).startsWith("canary first; it is also the gate (the SMTP test proves nothing for")
                    .contains("smtp-relay (" + outcome.toLowerCase() + ")").doesNotContain("smtp-main");
        }

        @Test
        void aServerWithoutTestIsNotTestedAndTheCanaryIsTheGate() {
            RetryPlan p = given()
                    .mails(failed(mail(1, FailureClass.AUTH), minutesAgo(30)))
                    .servers(untested("smtp-main"))
                    .plan();

            assertThat(p.next()).isEqualTo(RetryPlan.Next.CANARY);
            assertThat(p.why()).contains("it is also the gate").contains("smtp-main (not_tested)");
        }

        @Test
        void aServerThatLastPassedBeforeTheFailuresOutweighsAnotherServersInconclusiveTest() {
            RetryPlan p = given()
                    .mails(failed(mail(1, FailureClass.TRANSPORT), minutesAgo(30)))
                    .servers(passed("smtp-main", ago(Duration.ofHours(2))), tested("smtp-relay", "INCONCLUSIVE", NOW))
                    .plan();

            assertThat(p.next()).isEqualTo(RetryPlan.Next.REFUSED);
            assertThat(p.why()).contains("smtp-main");
        }

        @Test
        void aCachedVerdictCountsFromWhenTheServerWasReallyTested() {
            ServerSnapshot cached = server("smtp-main",
                    new ServerSnapshot.SmtpTest("PASS", null, "250 2.0.0 OK", minutesAgo(1), ago(Duration.ofHours(2))));

            RetryPlan p = given()
                    .mails(failed(mail(1, FailureClass.AUTH), minutesAgo(30)))
                    .servers(cached)
                    .plan();

            assertThat(p.next()).isEqualTo(RetryPlan.Next.REFUSED);
            assertThat(p.why()).contains("smtp-main (tested " + ago(Duration.ofHours(2)) + ")");
        }
    }

    @Nested
    class MaxAge {

        @Test
        void aMailCreatedJustInsideMaxAgeIsRetriedAndOneJustOutsideIsNot() {
            Instant limit = NOW.minus(Duration.ofHours(48));
            RetryPlan p = given()
                    .mails(created(mail(1, FailureClass.RATE_LIMIT), limit.plusSeconds(1)),
                            created(mail(2, FailureClass.RATE_LIMIT), limit),
                            created(mail(3, FailureClass.RATE_LIMIT), limit.minusSeconds(1)))
                    .plan();

            assertThat(inOrder(p)).containsExactly(1, 2);
            assertThat(p.left()).containsExactly(new RetryPlan.Left(FailureClass.RATE_LIMIT, MAX_AGE_REASON, 1, List.of(3)));
        }

        @Test
        void theOlderExceptionsTheReaderOnlyCountedAreReportedAsLeftAlone() {
            RetryPlan p = given()
                    .mails(mail(1, FailureClass.RATE_LIMIT))
                    .olderThanMaxAge(1234)
                    .plan();

            assertThat(p.left()).containsExactly(new RetryPlan.Left(null, MAX_AGE_REASON, 1234, List.of()));
            assertThat(p.planned()).isEqualTo(1);
            assertThat(p.next()).isEqualTo(RetryPlan.Next.CANARY);
        }

        @Test
        void onlyOlderExceptionsIsNothingToDo() {
            RetryPlan p = given().olderThanMaxAge(7).plan();

            assertThat(p.next()).isEqualTo(RetryPlan.Next.NOTHING);
            assertThat(leftFor(p, MAX_AGE_REASON).count()).isEqualTo(7);
        }

        @Test
        void maxAgeFollowsThePolicy() {
            RetryPlan p = given()
                    .policy(x -> x.maxAge = Duration.ofHours(2))
                    .mails(created(mail(1, FailureClass.MAILBOX), ago(Duration.ofHours(3))),
                            created(mail(2, FailureClass.MAILBOX), ago(Duration.ofHours(1))))
                    .plan();

            assertThat(inOrder(p)).containsExactly(2);
            assertThat(left(p, FailureClass.MAILBOX).reason()).isEqualTo("created more than max-age (2 h) ago");
        }

        @Test
        void maxAgeCountsFromCreationNotFromTheLastFailure() {
            RetryPlan p = given()
                    .mails(failed(created(mail(1, FailureClass.RATE_LIMIT), ago(Duration.ofDays(3))), minutesAgo(1)))
                    .plan();

            assertThat(p.planned()).isZero();
            assertThat(left(p, FailureClass.RATE_LIMIT).reason()).isEqualTo(MAX_AGE_REASON);
        }
    }

    @Nested
    class Attempts {

        @Test
        void aMailRequeuedMaxAttemptsTimesIsLeftAloneWithTheCount() {
            RetryPlan p = given()
                    .mails(mails(FailureClass.RATE_LIMIT, 1, 2))
                    .journal(j -> j.requeue(ago(Duration.ofDays(1)), "chunk", 1, 2)
                            .requeue(ago(Duration.ofHours(20)), "chunk", 1, 2)
                            .requeueWithoutOutcome(ago(Duration.ofHours(10)), 1))
                    .plan();

            assertThat(inOrder(p)).containsExactly(2);
            assertThat(p.left()).containsExactly(new RetryPlan.Left(FailureClass.RATE_LIMIT,
                    "retried 3 time(s) already (max-attempts 3)", 1, List.of(1)));
        }

        @Test
        void maxAttemptsFollowsThePolicy() {
            RetryPlan p = given()
                    .policy(x -> x.maxAttempts = 1)
                    .mails(mails(FailureClass.MAILBOX, 1, 2))
                    .journal(j -> j.requeueRefused(ago(Duration.ofDays(1)), 2))
                    .plan();

            assertThat(inOrder(p)).containsExactly(1);
            assertThat(left(p, FailureClass.MAILBOX).reason()).isEqualTo("retried 1 time(s) already (max-attempts 1)");
        }

        @Test
        void anOperatorCannotRetryAMailPastMaxAttemptsEither() {
            RetryPlan p = given()
                    .request(operator(FailureClass.SENDER))
                    .mails(mail(1, FailureClass.SENDER))
                    .journal(j -> j.requeue(ago(Duration.ofDays(1)), "canary", 1).requeue(ago(Duration.ofHours(5)), "chunk", 1)
                            .requeue(ago(Duration.ofHours(4)), "chunk", 1))
                    .plan();

            assertThat(p.next()).isEqualTo(RetryPlan.Next.NOTHING);
            assertThat(left(p, FailureClass.SENDER).reason()).startsWith("retried 3 time(s) already");
        }
    }

    @Nested
    class Canary {

        @Test
        void theCanaryIsTheNewestEligibleMailsByCreateDate() {
            int[] minutesOld = {0, 50, 5, 40, 1, 30, 20, 10, 60};
            List<FailedMail> mails = IntStream.rangeClosed(1, 8)
                    .mapToObj(id -> created(mail(id, FailureClass.RATE_LIMIT), minutesAgo(minutesOld[id]))).toList();

            RetryPlan p = given().policy(x -> x.canarySize = 3).mails(mails).plan();

            assertThat(p.next()).isEqualTo(RetryPlan.Next.CANARY);
            assertThat(p.canary()).containsExactly(4, 2, 7);
            assertThat(p.batchNow()).isEqualTo(p.canary());
            assertThat(p.chunks()).containsExactly(List.of(6, 5, 3, 1, 8));
            assertThat(p.planned()).isEqualTo(8);
        }

        @Test
        void theCanaryIsChosenByAgeNotByModel() {
            RetryPlan p = given()
                    .policy(x -> x.canarySize = 2)
                    .mails(ofModel(created(mail(1, FailureClass.RATE_LIMIT), ago(Duration.ofHours(2))), "res.users"),
                            created(mail(2, FailureClass.RATE_LIMIT), minutesAgo(2)),
                            created(mail(3, FailureClass.RATE_LIMIT), minutesAgo(1)))
                    .plan();

            assertThat(p.canary()).containsExactly(3, 2);
            assertThat(p.chunks()).containsExactly(List.of(1));
        }

        @Test
        void fewerEligibleMailsThanTheCanarySizeAreAllInTheCanary() {
            RetryPlan p = given().mails(mails(FailureClass.RATE_LIMIT, 1, 2, 3)).plan();

            assertThat(p.canary()).containsExactly(1, 2, 3);
            assertThat(p.chunks()).isEmpty();
            assertThat(p.planned()).isEqualTo(3);
        }

        @Test
        void chunksFollowOnlyAfterAPassedCanary() {
            List<FailedMail> mails = mails(FailureClass.RATE_LIMIT, rangeIds(1, 7));

            RetryPlan before = given().mails(mails).plan();
            assertThat(before.next()).isEqualTo(RetryPlan.Next.CANARY);
            assertThat(before.batchNow()).containsExactly(1, 2, 3, 4, 5);
            assertThat(before.chunks()).containsExactly(List.of(6, 7));

            RetryPlan after = given().mails(mails).journal(j -> j.canaryPassed(minutesAgo(10), ids(901, 5))).plan();
            assertThat(after.next()).isEqualTo(RetryPlan.Next.CHUNK);
            assertThat(after.canary()).isEmpty();
            assertThat(after.chunks()).containsExactly(List.of(1, 2, 3, 4, 5, 6, 7));
            assertThat(after.batchNow()).isEqualTo(after.chunks().get(0));
            assertThat(after.why()).isEqualTo("the canary passed at " + minutesAgo(10).plus(SEND_TAKES)
                    + "; chunks follow, paced");
        }

        @Test
        void aPassedCanaryVouchesWhileSendsKeepComing() {
            RetryPlan p = given()
                    .mails(mails(FailureClass.RATE_LIMIT, rangeIds(1, 20)))
                    .journal(j -> j.canaryPassed(ago(Duration.ofHours(3)), ids(901, 5))
                            .chunkSent(ago(Duration.ofHours(2)), ids(906, 5))
                            .chunkSent(NOW.minus(RetryPlanner.CANARY_VOUCHES_FOR).minus(SEND_TAKES), ids(911, 5)))
                    .plan();

            assertThat(p.next()).isEqualTo(RetryPlan.Next.CHUNK);
            assertThat(p.batchNow()).hasSize(20);
        }

        @Test
        void afterAPauseANewCanaryGoesFirst() {
            RetryPlan p = given()
                    .mails(mails(FailureClass.RATE_LIMIT, rangeIds(1, 20)))
                    .journal(j -> j.canaryPassed(ago(Duration.ofHours(3)), ids(901, 5))
                            .chunkSent(NOW.minus(RetryPlanner.CANARY_VOUCHES_FOR).minus(SEND_TAKES).minusSeconds(1),
                                    ids(906, 5)))
                    .plan();

            assertThat(p.next()).isEqualTo(RetryPlan.Next.CANARY);
            assertThat(p.batchNow()).containsExactly(1, 2, 3, 4, 5);
            assertThat(p.why()).startsWith("canary first");
        }

        @Test
        void aCanaryThatLeftAMailUnsentIsFollowedByAnotherCanaryNotByChunks() {
            // failure-threshold 0.5: one of five back in exception does not trip the circuit, but chunks follow
            // only when the canary's mails all left as sent
            RetryPlan p = given()
                    .policy(x -> x.failureThreshold = 0.5)
                    .mails(mails(FailureClass.RATE_LIMIT, rangeIds(1, 20)))
                    .journal(j -> j.batch(minutesAgo(10), "canary", 1, 0, false, ids(901, 5)))
                    .plan();

            assertThat(p.next()).isEqualTo(RetryPlan.Next.CANARY);
            assertThat(p.batchNow()).hasSize(5);
        }
    }

    @Nested
    class Chunks {

        @Test
        void chunksHoldChunkSizeMailsEach() {
            RetryPlan p = given()
                    .mails(mails(FailureClass.RATE_LIMIT, rangeIds(1, 250)))
                    .journal(j -> j.canaryPassed(minutesAgo(10), ids(901, 5)))
                    .plan();

            assertThat(p.chunks()).extracting(List::size).containsExactly(100, 100, 50);
            assertThat(p.batchNow()).hasSize(100);
            assertThat(p.planned()).isEqualTo(250);
        }

        @Test
        void theCanaryAndTheChunksTakeEveryEligibleMailOnce() {
            RetryPlan p = given()
                    .policy(x -> {
                        x.canarySize = 2;
                        x.chunkSize = 4;
                    })
                    .mails(mails(FailureClass.MAILBOX, rangeIds(1, 12)))
                    .plan();

            assertThat(p.canary()).containsExactly(1, 2);
            assertThat(p.chunks()).extracting(List::size).containsExactly(4, 4, 2);
            assertThat(inOrder(p)).containsExactly(rangeIds(1, 12));
            assertThat(p.planned()).isEqualTo(12);
        }

        @Test
        void configuredModelsGoFirstInTheirOrderThenTheRestNewestFirst() {
            RetryPlan p = given()
                    .policy(x -> x.chunkSize = 3)
                    .mails(ofModel(created(mail(1, FailureClass.RATE_LIMIT), minutesAgo(1)), "res.partner"),
                            ofModel(created(mail(2, FailureClass.RATE_LIMIT), minutesAgo(30)), "account.move"),
                            ofModel(created(mail(3, FailureClass.RATE_LIMIT), minutesAgo(50)), "res.users"),
                            ofModel(created(mail(4, FailureClass.RATE_LIMIT), minutesAgo(5)), "sale.order"),
                            ofModel(created(mail(5, FailureClass.RATE_LIMIT), minutesAgo(10)), "res.users"),
                            ofModel(created(mail(6, FailureClass.RATE_LIMIT), minutesAgo(2)), "account.move"),
                            ofModel(created(mail(7, FailureClass.RATE_LIMIT), minutesAgo(40)), "res.partner"),
                            ofModel(created(mail(8, FailureClass.RATE_LIMIT), minutesAgo(3)), null))
                    .journal(j -> j.canaryPassed(minutesAgo(10), ids(901, 5)))
                    .plan();

            assertThat(p.chunks()).containsExactly(List.of(5, 3, 6), List.of(2, 1, 8), List.of(4, 7));
        }

        @Test
        void modelOrderFollowsThePolicy() {
            RetryPlan p = given()
                    .policy(x -> x.modelOrder = List.of("account.move"))
                    .mails(ofModel(created(mail(1, FailureClass.RATE_LIMIT), minutesAgo(1)), "res.users"),
                            ofModel(created(mail(2, FailureClass.RATE_LIMIT), minutesAgo(30)), "account.move"),
                            ofModel(created(mail(3, FailureClass.RATE_LIMIT), minutesAgo(2)), "res.partner"))
                    .journal(j -> j.canaryPassed(minutesAgo(10), ids(901, 5)))
                    .plan();

            assertThat(inOrder(p)).containsExactly(2, 1, 3);
        }

        @Test
        void withoutAModelOrderTheNewestGoFirst() {
            RetryPlan p = given()
                    .policy(x -> x.modelOrder = List.of())
                    .mails(ofModel(created(mail(1, FailureClass.RATE_LIMIT), minutesAgo(20)), "res.users"),
                            ofModel(created(mail(2, FailureClass.RATE_LIMIT), minutesAgo(30)), "account.move"),
                            ofModel(created(mail(3, FailureClass.RATE_LIMIT), minutesAgo(2)), "res.partner"))
                    .journal(j -> j.canaryPassed(minutesAgo(10), ids(901, 5)))
                    .plan();

            assertThat(inOrder(p)).containsExactly(3, 1, 2);
        }
    }

    @Nested
    class DailyQuota {

        @Test
        void theQuotaCountsTodaysRequeuesSinceMidnightUtcAndLeavesTheRestWithTheReason() {
            RetryPlan p = given()
                    .policy(x -> x.dailyQuota = 10)
                    .mails(mails(FailureClass.RATE_LIMIT, rangeIds(1, 10)))
                    .journal(j -> j.requeue(MIDNIGHT.minusSeconds(1), "chunk", ids(900, 8))
                            .canaryPassed(MIDNIGHT.plus(Duration.ofHours(1)), ids(910, 4)))
                    .plan();

            assertThat(p.planned()).isEqualTo(6);
            assertThat(inOrder(p)).containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(p.left()).containsExactly(new RetryPlan.Left(FailureClass.RATE_LIMIT,
                    "over today's daily-quota (10, 4 used); resumes at " + NEXT_MIDNIGHT, 4, List.of(7, 8, 9, 10)));
            assertThat(p.signatures()).containsOnlyKeys(1, 2, 3, 4, 5, 6);
            assertThat(p.next()).isEqualTo(RetryPlan.Next.CANARY);
        }

        @Test
        void yesterdaysRequeuesDoNotCountAgainstTodaysQuota() {
            RetryPlan p = given()
                    .policy(x -> x.dailyQuota = 10)
                    .mails(mails(FailureClass.RATE_LIMIT, rangeIds(1, 10)))
                    .journal(j -> j.requeue(MIDNIGHT.minus(Duration.ofHours(3)), "chunk", ids(900, 10)))
                    .plan();

            assertThat(p.planned()).isEqualTo(10);
            assertThat(p.left()).isEmpty();
        }

        @Test
        void aSpentQuotaWaitsUntilTheNextUtcMidnight() {
            RetryPlan p = given()
                    .policy(x -> x.dailyQuota = 10)
                    .mails(mails(FailureClass.RATE_LIMIT, 1, 2, 3))
                    .journal(j -> j.requeue(MIDNIGHT.plus(Duration.ofHours(8)), "chunk", ids(900, 10)))
                    .plan();

            assertThat(p.next()).isEqualTo(RetryPlan.Next.WAIT);
            assertThat(p.until()).isEqualTo(NEXT_MIDNIGHT);
            assertThat(p.why()).isEqualTo("today's daily-quota is spent; resumes at " + NEXT_MIDNIGHT);
            assertThat(p.batchNow()).isEmpty();
            assertThat(p.planned()).isZero();
            assertThat(leftFor(p, "over today's daily-quota (10, 10 used)").count()).isEqualTo(3);
        }

        @Test
        void aQuotaSpentJustBeforeMidnightWaitsOnlyUntilMidnightAndIsWholeAgainAfter() {
            Scenario late = given()
                    .policy(x -> x.dailyQuota = 10)
                    .mails(mails(FailureClass.RATE_LIMIT, 1, 2, 3))
                    .journal(j -> j.requeue(Instant.parse("2026-11-23T23:00:00Z"), "chunk", ids(900, 10)));

            RetryPlan before = late.at(Instant.parse("2026-11-23T23:59:30Z")).plan();
            assertThat(before.next()).isEqualTo(RetryPlan.Next.WAIT);
            assertThat(before.until()).isEqualTo(NEXT_MIDNIGHT);

            RetryPlan after = late.at(NEXT_MIDNIGHT).plan();
            assertThat(after.next()).isEqualTo(RetryPlan.Next.CANARY);
            assertThat(after.planned()).isEqualTo(3);
        }

        @Test
        void aQuotaOfZeroIsNoQuota() {
            RetryPlan p = given()
                    .mails(mails(FailureClass.RATE_LIMIT, rangeIds(1, 50)))
                    .journal(j -> j.requeue(MIDNIGHT.plus(Duration.ofHours(6)), "chunk", ids(1000, 5000)))
                    .plan();

            assertThat(p.planned()).isEqualTo(50);
            assertThat(p.left()).isEmpty();
        }

        @Test
        void theQuotaKeepsTheMailsOfTheConfiguredModelsFirst() {
            RetryPlan p = given()
                    .policy(x -> x.dailyQuota = 2)
                    .mails(mail(1, FailureClass.RATE_LIMIT), ofModel(mail(2, FailureClass.RATE_LIMIT), "account.move"),
                            ofModel(mail(3, FailureClass.RATE_LIMIT), "res.users"))
                    .plan();

            assertThat(inOrder(p)).containsExactlyInAnyOrder(2, 3);
            assertThat(left(p, FailureClass.RATE_LIMIT).examples()).containsExactly(1);
        }
    }

    @Nested
    class Pace {

        @Test
        void theNextBatchWaitsUntilTheLastRequeuedMailsAreSpreadAtTheRate() {
            Instant last = NOW.minusSeconds(30);
            RetryPlan p = given()
                    .mails(mails(FailureClass.RATE_LIMIT, rangeIds(1, 10)))
                    .journal(j -> j.requeue(last, "chunk", ids(900, 100)))
                    .plan();

            assertThat(p.next()).isEqualTo(RetryPlan.Next.WAIT);
            assertThat(p.until()).isEqualTo(last.plusSeconds(100));
            assertThat(p.why()).isEqualTo("paced at 60 mails/min: the next batch at " + last.plusSeconds(100));
            assertThat(p.batchNow()).isEmpty();
            assertThat(p.planned()).isEqualTo(10);
        }

        @Test
        void theBatchGoesOnceThePaceHasPassed() {
            RetryPlan p = given()
                    .mails(mails(FailureClass.RATE_LIMIT, rangeIds(1, 10)))
                    .journal(j -> j.requeue(NOW.minusSeconds(100), "chunk", ids(900, 100)))
                    .plan();

            assertThat(p.next()).isEqualTo(RetryPlan.Next.CANARY);
        }

        @Test
        void thePaceFollowsTheRateAndTheLastBatchsSize() {
            Instant last = NOW.minusSeconds(1);
            RetryPlan p = given()
                    .policy(x -> x.ratePerMinute = 120)
                    .mails(mails(FailureClass.RATE_LIMIT, 1))
                    .journal(j -> j.requeue(ago(Duration.ofMinutes(5)), "chunk", ids(800, 100))
                            .requeue(last, "canary", ids(900, 5)))
                    .plan();

            assertThat(p.next()).isEqualTo(RetryPlan.Next.WAIT);
            assertThat(p.until()).isEqualTo(last.plusMillis(2500));
        }

        @Test
        void aRateOfZeroIsUnpaced() {
            RetryPlan p = given()
                    .policy(x -> x.ratePerMinute = 0)
                    .mails(mails(FailureClass.RATE_LIMIT, rangeIds(1, 10)))
                    .journal(j -> j.requeue(NOW.minusSeconds(1), "chunk", ids(900, 1000)))
                    .plan();

            assertThat(p.next()).isEqualTo(RetryPlan.Next.CANARY);
            assertThat(p.until()).isNull();
        }
    }

    @Nested
    class CircuitBreaker {

        @Test
        void aTrippedBatchOpensTheCircuitUntilTheCoolDownWithItsReason() {
            Instant tripped = minutesAgo(10).plus(SEND_TAKES);
            RetryPlan p = given()
                    .mails(mails(FailureClass.RATE_LIMIT, rangeIds(1, 20)))
                    .journal(j -> j.canaryPassed(minutesAgo(20), ids(901, 5)).chunkTripped(minutesAgo(10), ids(906, 10)))
                    .plan();

            assertThat(p.next()).isEqualTo(RetryPlan.Next.WAIT);
            assertThat(p.until()).isEqualTo(tripped.plus(Duration.ofMinutes(30)));
            assertThat(p.why()).isEqualTo("the circuit is open since " + tripped + " (chunk: 10 of 10 failed again (10"
                    + " the same way as before): the circuit opens); one canary tries again at " + p.until());
            assertThat(p.batchNow()).isEmpty();
        }

        @Test
        void afterTheCoolDownASingleCanaryTriesAgain() {
            RetryPlan p = given()
                    .mails(mails(FailureClass.RATE_LIMIT, rangeIds(1, 20)))
                    .journal(j -> j.canaryPassed(minutesAgo(45), ids(901, 5))
                            .chunkTripped(NOW.minus(Duration.ofMinutes(30)).minus(SEND_TAKES), ids(906, 10)))
                    .plan();

            assertThat(p.next()).isEqualTo(RetryPlan.Next.CANARY);
            assertThat(p.why()).isEqualTo("half-open: one canary after the circuit's cool-down");
            assertThat(p.batchNow()).containsExactly(1, 2, 3, 4, 5);
            assertThat(p.chunks()).containsExactly(List.of(rangeIds(6, 20)));
        }

        @Test
        void halfOpenTheCanaryGoesFirstEvenThoughSendsKeptComing() {
            RetryPlan p = given()
                    .mails(mails(FailureClass.RATE_LIMIT, rangeIds(1, 20)))
                    .journal(j -> j.chunkTripped(minutesAgo(40), ids(906, 10)).chunkSent(minutesAgo(5), ids(950, 1)))
                    .plan();

            assertThat(p.next()).isEqualTo(RetryPlan.Next.CANARY);
            assertThat(p.why()).startsWith("half-open");
        }

        @Test
        void aPassedHalfOpenCanaryClosesTheCircuitAndChunksFollow() {
            RetryPlan p = given()
                    .mails(mails(FailureClass.RATE_LIMIT, rangeIds(1, 20)))
                    .journal(j -> j.chunkTripped(minutesAgo(60), ids(901, 10)).canaryPassed(minutesAgo(5), ids(911, 5)))
                    .plan();

            assertThat(p.next()).isEqualTo(RetryPlan.Next.CHUNK);
            assertThat(p.batchNow()).hasSize(20);
        }

        @Test
        void aTrippedHalfOpenCanaryKeepsTheCircuitOpenForAnotherCoolDown() {
            Instant tripped = minutesAgo(5).plus(SEND_TAKES);
            RetryPlan p = given()
                    .mails(mails(FailureClass.RATE_LIMIT, rangeIds(1, 20)))
                    .journal(j -> j.chunkTripped(minutesAgo(60), ids(901, 10)).canaryTripped(minutesAgo(5), ids(911, 5)))
                    .plan();

            assertThat(p.next()).isEqualTo(RetryPlan.Next.WAIT);
            assertThat(p.until()).isEqualTo(tripped.plus(Duration.ofMinutes(30)));
            assertThat(p.why()).contains("canary: 5 of 5 failed again");
        }

        @Test
        void theCoolDownFollowsThePolicy() {
            Scenario s = given()
                    .policy(x -> x.coolDown = Duration.ofHours(2))
                    .mails(mails(FailureClass.RATE_LIMIT, rangeIds(1, 20)))
                    .journal(j -> j.chunkTripped(ago(Duration.ofHours(1)).minus(SEND_TAKES), ids(901, 10)));

            RetryPlan p = s.plan();
            assertThat(p.next()).isEqualTo(RetryPlan.Next.WAIT);
            assertThat(p.until()).isEqualTo(NOW.plus(Duration.ofHours(1)));

            assertThat(s.at(NOW.plus(Duration.ofHours(1))).plan().next()).isEqualTo(RetryPlan.Next.CANARY);
        }

        @Test
        void anOpenCircuitWithNothingEligibleIsNothingToDo() {
            RetryPlan p = given()
                    .mails(mails(FailureClass.RECIPIENT, 1))
                    .journal(j -> j.chunkTripped(minutesAgo(10), ids(901, 10)))
                    .plan();

            assertThat(p.next()).isEqualTo(RetryPlan.Next.NOTHING);
        }
    }

    @Nested
    class OperatorRequest {

        @Test
        void theClassFilterLeavesTheOtherClassesAlone() {
            RetryPlan p = given()
                    .request(operator(FailureClass.RATE_LIMIT))
                    .mails(mail(1, FailureClass.TRANSPORT), mail(2, FailureClass.RATE_LIMIT), mail(3, FailureClass.MAILBOX))
                    .plan();

            assertThat(inOrder(p)).containsExactly(2);
            assertThat(left(p, FailureClass.TRANSPORT).reason()).isEqualTo("not asked for (--class)");
            assertThat(left(p, FailureClass.MAILBOX).reason()).isEqualTo("not asked for (--class)");
        }

        @Test
        void sinceLeavesTheMailsThatLastFailedBeforeIt() {
            Instant since = ago(Duration.ofHours(1));
            RetryPlan p = given()
                    .request(new RetryRequest(true, Set.of(), since, 0))
                    .mails(failed(mail(1, FailureClass.RATE_LIMIT), since.minusSeconds(1)),
                            failed(mail(2, FailureClass.RATE_LIMIT), since),
                            failed(mail(3, FailureClass.RATE_LIMIT), minutesAgo(10)))
                    .plan();

            assertThat(inOrder(p)).containsExactly(2, 3);
            assertThat(p.left()).containsExactly(new RetryPlan.Left(FailureClass.RATE_LIMIT, "failed before --since", 1,
                    List.of(1)));
        }

        @Test
        void maxLeavesTheMailsOverItWithTheReasonLowestPriorityFirst() {
            RetryPlan p = given()
                    .request(new RetryRequest(true, Set.of(), null, 3))
                    .mails(mails(FailureClass.RATE_LIMIT, rangeIds(1, 5)))
                    .mails(ofModel(mail(6, FailureClass.RATE_LIMIT), "res.users"),
                            ofModel(mail(7, FailureClass.RATE_LIMIT), "account.move"))
                    .plan();

            assertThat(p.planned()).isEqualTo(3);
            assertThat(inOrder(p)).containsExactlyInAnyOrder(6, 7, 1);
            assertThat(p.left()).containsExactly(new RetryPlan.Left(FailureClass.RATE_LIMIT, "over --max 3", 4,
                    List.of(2, 3, 4, 5)));
            assertThat(p.signatures()).containsOnlyKeys(6, 7, 1);
        }

        @Test
        void aNegativeMaxIsRefused() {
            assertThatThrownBy(() -> new RetryRequest(true, Set.of(), null, -1))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void theDaemonAsksForEverythingThePolicyAllows() {
            assertThat(RetryRequest.daemon()).isEqualTo(new RetryRequest(false, Set.of(), null, 0));
        }
    }

    @Nested
    class ThePlan {

        @Test
        void signaturesHoldTheNormalizedFailureOfEveryPlannedMail() {
            String gmail1 = "535\nb'5.7.8 Username and Password not accepted. For more information, go to\\n5.7.8  "
                    + "https://support.google.com/mail/?p=BadCredentials d2e1a72fcca58-6f1e5a1b2c3sm1234567b3a.12 - gsmtp'";
            String gmail2 = gmail1.replace("d2e1a72fcca58-6f1e5a1b2c3sm1234567b3a.12", "a640c23a62f3a-9b8c7d6e5f4sm7654321c1b.77");
            FailedMail auth1 = withReason(mail(1, FailureClass.AUTH), null, gmail1);
            FailedMail auth2 = withReason(mail(2, FailureClass.AUTH), null, gmail2);
            FailedMail rate = mail(3, FailureClass.RATE_LIMIT);

            RetryPlan p = given().mails(auth1, auth2, rate, mail(4, FailureClass.RECIPIENT)).plan();

            assertThat(p.signatures()).isEqualTo(Map.of(1, FailureSignature.normalize(gmail1), 2,
                    FailureSignature.normalize(gmail2), 3, FailureSignature.normalize(rate.failureReason())));
            assertThat(p.signatures().get(1)).isEqualTo(p.signatures().get(2)).doesNotContain("d2e1a72fcca58");
            assertThat(p.signatures().get(3)).contains("(451, b'4.7.1 Rate limit exceeded");
            assertThat(p.signatures()).doesNotContainKey(4);
        }

        @Test
        void aMailWithoutAReasonHasAnEmptySignature() {
            RetryPlan p = given()
                    .request(operator(FailureClass.SENDER))
                    .mails(withReason(mail(1, FailureClass.SENDER), "mail_from_missing", null))
                    .plan();

            assertThat(p.signatures()).isEqualTo(Map.of(1, ""));
        }

        @Test
        void theEligibleCountIsPerClassOfThePlannedMails() {
            RetryPlan p = given()
                    .policy(x -> x.dailyQuota = 4)
                    .mails(mails(FailureClass.RATE_LIMIT, 1, 2, 3))
                    .mails(mails(FailureClass.MAILBOX, 4, 5))
                    .mails(mails(FailureClass.CONTENT, 6))
                    .plan();

            assertThat(p.eligible()).isEqualTo(Map.of(FailureClass.RATE_LIMIT, 3, FailureClass.MAILBOX, 1));
            assertThat(p.eligible().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(p.planned());
        }

        @Test
        void plannedCountsTheCanaryAndEveryChunkWhileBatchNowIsOnlyWhatMayRunNow() {
            List<Integer> canary = List.of(1, 2);
            List<List<Integer>> chunks = List.of(List.of(3, 4, 5), List.of(6));
            for (RetryPlan.Next next : RetryPlan.Next.values()) {
                RetryPlan p = new RetryPlan("prod", next, null, "", next == RetryPlan.Next.CHUNK ? List.of() : canary,
                        chunks, Map.of(), List.of(), Map.of());
                List<Integer> expected = switch (next) {
                    case CANARY -> canary;
                    case CHUNK -> List.of(3, 4, 5);
                    default -> List.of();
                };
                assertThat(p.batchNow()).as("%s", next).isEqualTo(expected);
                assertThat(p.planned()).as("%s", next).isEqualTo(next == RetryPlan.Next.CHUNK ? 4 : 6);
            }
            assertThat(new RetryPlan("prod", RetryPlan.Next.CHUNK, null, "", List.of(), List.of(), Map.of(), List.of(),
                    Map.of()).batchNow()).isEmpty();
        }

        @Test
        void mailsLeftAloneAreGroupedByClassAndReasonWithAFewExamples() {
            RetryPlan p = given()
                    .mails(mails(FailureClass.RECIPIENT, 11, 12, 13, 14, 15, 16, 17, 18))
                    .mails(mails(FailureClass.CONTENT, 21, 22))
                    .mails(mails(FailureClass.RECIPIENT, 19))
                    .plan();

            assertThat(p.left()).extracting(RetryPlan.Left::failureClass, RetryPlan.Left::count)
                    .containsExactly(tuple(FailureClass.RECIPIENT, 9),
                            tuple(FailureClass.CONTENT, 2));
            assertThat(left(p, FailureClass.RECIPIENT).examples()).containsExactly(11, 12, 13, 14, 15);
            assertThat(left(p, FailureClass.CONTENT).examples()).containsExactly(21, 22);
        }

        @Test
        void noExceptionsIsNothingToDo() {
            RetryPlan p = given().plan();

            assertThat(p.next()).isEqualTo(RetryPlan.Next.NOTHING);
            assertThat(p.why()).isEqualTo("no mail is eligible for a retry");
            assertThat(p.until()).isNull();
            assertThat(p.left()).isEmpty();
            assertThat(p.planned()).isZero();
            assertThat(p.target()).isEqualTo("prod");
        }

        @Test
        void thePlanIsAPureFunctionOfItsInputs() {
            Scenario s = given()
                    .policy(x -> x.dailyQuota = 30)
                    .mails(mails(FailureClass.RATE_LIMIT, rangeIds(1, 40)))
                    .mails(failed(mail(41, FailureClass.TRANSPORT), minutesAgo(30)))
                    .servers(passed("smtp-main", ago(Duration.ofHours(1))))
                    .journal(j -> j.canaryPassed(minutesAgo(20), ids(900, 5)));

            assertThat(s.plan()).isEqualTo(s.plan());
        }
    }
}
