package io.mailwatchdog.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailwatchdog.health.TargetReport;
import io.mailwatchdog.state.StateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The last full probe of a target, {@code <state-dir>/last/<target>.json}, overwritten atomically after every
 * probe: {@code {target, savedAt, status, snapshot, findings}}, where {@code snapshot} is the whole Snapshot (as
 * the {@code snapshot} command prints it) and {@code findings} the report's findings with their evidence.
 */
public final class LastProbe {

    private LastProbe() {
    }

    /** {@code <state-dir>/last/<target>.json}. */
    public static Path file(Path stateDir, String target) {
        return stateDir.resolve(relative(target));
    }

    /** Replaces the target's last probe with {@code report}, every string masked by {@code redact}. */
    public static void save(Path stateDir, TargetReport report, Instant savedAt, UnaryOperator<String> redact)
            throws IOException {
        ObjectNode doc = JsonText.JSON.createObjectNode();
        doc.put("target", report.target());
        doc.put("savedAt", savedAt.toString());
        doc.put("status", report.status().name());
        doc.set("snapshot", JsonText.JSON.valueToTree(report.snapshot()));
        doc.set("findings", JsonText.JSON.valueToTree(report.findings()));
        new StateFiles(stateDir).write(relative(report.target()), JsonText.redacted(doc, redact));
    }

    /** The target's last probe as written by {@link #save}; empty when there is none or it cannot be parsed. */
    public static Optional<JsonNode> read(Path stateDir, String target) {
        Path file = file(stateDir, target);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode doc = JsonText.JSON.readTree(file.toFile());
            return doc != null && doc.isObject() ? Optional.of(doc) : Optional.empty();
        } catch (IOException damaged) {
            return Optional.empty();
        }
    }

    private static String relative(String target) {
        return "last/" + StateFiles.fileName(target);
    }
}
