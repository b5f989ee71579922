package io.mailwatchdog.lock;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the lock row's {@code value} holds: who writes to this database, since when, and the hold of
 * the mail cron during a flush (the cron's prior {@code active} and the ids being flushed). Whoever
 * finds a stale lock reads the hold from here to restore the cron, so it must always be current
 * before the cron is touched. Never holds a secret.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LockValue(String owner, String purpose, String host, long pid, Instant taken, Hold hold) {

    /**
     * The mail cron held inactive by {@code owner} for a batch of {@code ids}. {@code kind} is null for a
     * flush, {@value #RETRY} for a retry batch: its ids were requeued by the watchdog, and any still
     * outgoing when the hold is restored go back to exception (never left for the cron to send unpaced).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Hold(@JsonProperty("cron") int cronId, @JsonProperty("prior_active") boolean priorActive,
                       Instant since, List<Integer> ids, String kind) {
        public static final String RETRY = "retry";
        public static final String CANCEL = "cancel";

        public Hold {
            ids = ids == null ? List.of() : List.copyOf(ids);
        }

        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isRetry() {
            return RETRY.equals(kind);
        }
    }

    /** The one key of the lock, per database. */
    public static final String KEY = "odoo_mail_watchdog.lock";

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public LockValue {
        Objects.requireNonNull(owner, "owner");
    }

    public LockValue withHold(Hold newHold) {
        return new LockValue(owner, purpose, host, pid, taken, newHold);
    }

    public String json() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the lock value", e);
        }
    }

    /** Empty when the row holds something else: then it is foreign, and only its lease counts. */
    public static Optional<LockValue> parse(String json) {
        if (json == null || json.isBlank() || json.length() > 1_000_000) {
            return Optional.empty();
        }
        try {
            LockValue value = JSON.readValue(json, LockValue.class);
            return Optional.ofNullable(value);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
