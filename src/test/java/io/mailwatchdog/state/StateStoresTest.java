package io.mailwatchdog.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parked logins and remembered SMTP tests survive runs, and hold no secret. */
class StateStoresTest {

    @TempDir
    Path dir;

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void aParkedLoginStaysParkedForTheSameCredentialsOnly() throws IOException {
        LoginParking parking = new LoginParking(new StateFiles(dir));
        String identity = LoginParking.identity("https://erp", "prod", "bot", "hunter2-secret");
        parking.park("prod", identity, "wrong password", NOW);
        assertThat(parking.parkedFor("prod", identity)).get().extracting(LoginParking.Parked::reason).isEqualTo("wrong password");
        assertThat(parking.parkedFor("prod", LoginParking.identity("https://erp", "prod", "bot", "new-secret"))).isEmpty();
        assertThat(parking.parkedFor("prod", LoginParking.identity("https://erp", "prod", "other", "hunter2-secret"))).isEmpty();
        assertThat(parking.parkedFor("staging", identity)).isEmpty();
    }

    @Test
    void theParkingFileHoldsAFingerprintNotTheSecretAndIsPrivate() throws IOException {
        new LoginParking(new StateFiles(dir)).park("prod", LoginParking.identity("u", "d", "l", "hunter2-secret"), "r", NOW);
        Path file = dir.resolve("parked/prod.json");
        assertThat(Files.readString(file)).doesNotContain("hunter2-secret");
        assertThat(Files.getPosixFilePermissions(file.getParent())).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    }

    @Test
    void unparkingForgetsTheTarget() throws IOException {
        LoginParking parking = new LoginParking(new StateFiles(dir));
        String identity = LoginParking.identity("u", "d", "l", "s");
        parking.park("prod", identity, "r", NOW);
        assertThat(parking.unpark("prod")).isTrue();
        assertThat(parking.parkedFor("prod", identity)).isEmpty();
        assertThat(parking.unpark("prod")).isFalse();
    }

    @Test
    void aRefusedSmtpLoginIsReusedOnlyDuringItsBackoff() throws IOException {
        SmtpTestMemory memory = new SmtpTestMemory(new StateFiles(dir));
        memory.save("prod", Map.of("smtp:587:u@x", new SmtpTestMemory.Result("FAIL", "AUTH", "535", NOW)));
        Map<String, SmtpTestMemory.Result> loaded = memory.load("prod");
        Duration backoff = Duration.ofHours(1);
        assertThat(SmtpTestMemory.reusableRefusal(loaded, "smtp:587:u@x", NOW.plusSeconds(600), backoff)).isPresent();
        assertThat(SmtpTestMemory.reusableRefusal(loaded, "smtp:587:u@x", NOW.plusSeconds(3601), backoff)).isEmpty();
        // an edited server record has another revision: tested at once
        assertThat(SmtpTestMemory.reusableRefusal(loaded, "smtp:587:u@x@edited", NOW.plusSeconds(600), backoff)).isEmpty();
    }

    @Test
    void otherFailuresAreRetestedEveryRun() throws IOException {
        SmtpTestMemory memory = new SmtpTestMemory(new StateFiles(dir));
        memory.save("prod", Map.of("k", new SmtpTestMemory.Result("FAIL", "TRANSPORT", "refused", NOW)));
        assertThat(SmtpTestMemory.reusableRefusal(memory.load("prod"), "k", NOW.plusSeconds(1), Duration.ofHours(1))).isEmpty();
    }

    @Test
    void aDamagedStateFileIsIgnoredNotFatal() throws IOException {
        Files.createDirectories(dir.resolve("parked"));
        Files.writeString(dir.resolve("parked/prod.json"), "{not json");
        assertThat(new LoginParking(new StateFiles(dir)).parkedFor("prod", "x")).isEmpty();
    }
}
