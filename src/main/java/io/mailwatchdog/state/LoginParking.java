package io.mailwatchdog.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Remembers that Odoo refused a target's login, so that no further attempt is made until its secret
 * or connection settings change or an operator unparks it. Odoo blocks an IP for a minute after 5
 * failed logins; a check run every minute by a monitoring system must not keep that going.
 *
 * <p>The file keeps a salted PBKDF2 fingerprint of (url, database, login, secret), never the secret.
 */
public final class LoginParking {

    /** The stored state. */
    public record Parked(String target, Instant since, String reason, String salt, String fingerprint) {
    }

    private static final String DIR = "parked/";
    private final StateFiles files;

    public LoginParking(StateFiles files) {
        this.files = files;
    }

    /** The parking of this target, if it was parked with the same credentials as now. */
    public Optional<Parked> parkedFor(String target, String identity) {
        return files.read(DIR + StateFiles.fileName(target), Parked.class)
                .filter(p -> p.fingerprint().equals(fingerprint(identity, p.salt())));
    }

    public Parked park(String target, String identity, String reason, Instant now) throws IOException {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        String saltText = Base64.getEncoder().encodeToString(salt);
        Parked parked = new Parked(target, now, reason, saltText, fingerprint(identity, saltText));
        files.write(DIR + StateFiles.fileName(target), parked);
        return parked;
    }

    public boolean unpark(String target) throws IOException {
        return files.delete(DIR + StateFiles.fileName(target));
    }

    /** The string the fingerprint covers: change any part and the target is tried again. */
    public static String identity(String url, String database, String login, String secret) {
        return url + "\n" + database + "\n" + login + "\n" + secret;
    }

    private static String fingerprint(String identity, String salt) {
        try {
            PBEKeySpec spec = new PBEKeySpec(identity.toCharArray(), salt.getBytes(StandardCharsets.US_ASCII), 20_000, 256);
            byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            return Base64.getEncoder().encodeToString(hash);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2 is not available", e);
        }
    }
}
