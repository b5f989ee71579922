package io.mailwatchdog.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** {@code failure-signatures.txt} of a support bundle: the last probe's failure signatures, for a person to read. */
final class FailureSignaturesText {

    private FailureSignaturesText() {
    }

    /** @param snapshot the {@code snapshot} of state-dir/last/&lt;target&gt;.json */
    static String render(String target, JsonNode snapshot) {
        StringBuilder out = new StringBuilder("Failure signatures of " + target + ", from the probe at "
                + snapshot.path("takenAt").asText("?") + "\n");
        JsonNode queue = snapshot.path("queue");
        if (!queue.isObject()) {
            JsonNode failure = snapshot.path("failure");
            return out.append("The probe could not read the queue")
                    .append(failure.isObject() ? " (" + failure.path("kind").asText() + ")" : "").append(".\n").toString();
        }
        out.append("exceptions: ").append(queue.path("counts").path("byState").path("exception").asInt())
                .append(" in the queue, ").append(queue.path("exceptionsLastHour").asInt()).append(" failed in the last hour, ")
                .append(queue.path("exceptionsLast24h").asInt()).append(" in 24 h; signatures of the latest ")
                .append(queue.path("exceptionSampleSize").asInt()).append(" (at most ")
                .append(queue.path("exceptionSampleLimit").asInt()).append(" read)\n");
        JsonNode groups = queue.path("signatures");
        if (groups.isEmpty()) {
            return out.append("\nno failure signature: no exception in the sample\n").toString();
        }
        out.append("\nCLASS       COUNT  FIRST SEEN            LAST SEEN             EXAMPLE IDS\n");
        for (JsonNode g : groups) {
            List<String> ids = new ArrayList<>();
            g.path("exampleIds").forEach(id -> ids.add(id.asText()));
            out.append(String.format("%-10s  %5d  %-20s  %-20s  %s%n", g.path("failureClass").asText("?"),
                    g.path("count").asInt(), g.path("firstSeen").asText("-"), g.path("lastSeen").asText("-"),
                    ids.isEmpty() ? "-" : String.join(", ", ids)));
            for (String line : g.path("signature").asText("").split("\n")) {
                out.append("    ").append(line).append('\n');
            }
        }
        return out.toString();
    }
}
