package io.mailwatchdog.act;

import io.mailwatchdog.journal.Archive;
import io.mailwatchdog.journal.ArchiveFile;
import io.mailwatchdog.journal.ArchiveWriter;
import io.mailwatchdog.odoo.MailArchiveReader;
import io.mailwatchdog.odoo.OdooException;
import io.mailwatchdog.odoo.OdooFault;
import io.mailwatchdog.odoo.OdooResponseTooLarge;
import io.mailwatchdog.odoo.OdooValues;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Archives one batch before it is written: re-reads the mails' whole rows (the re-read that decides, so
 * a mail that moved on meanwhile is neither archived nor written), streams those still in the expected
 * state and their attachments into one archive, and makes it durable. Mails are read a few at a time and
 * attachments one at a time, so that one long body or big PDF meets the reply limit alone.
 */
final class StaleArchiver {

    /** Whole rows per read: bodies can be long. */
    static final int READ_GROUP = 20;
    static final String TOO_LARGE = "its row is larger than Odoo's reply limit (probe.max-response-size): it cannot be"
            + " archived, so it is left alone";

    /**
     * What was archived.
     *
     * @param file       null when no mail was archived (the file was abandoned)
     * @param ids        the mails in the archive, still in the expected state when read
     * @param unreadable of those, mails with an attachment that could not be read whole, and why
     * @param movedOn    mails no longer in the expected state, or gone, and why: not written
     * @param left       mails that could not be archived, and why: not written
     */
    record Archived(ArchiveFile file, List<Integer> ids, Map<Integer, String> unreadable, Map<Integer, String> movedOn,
                    Map<Integer, String> left) {
    }

    private final MailArchiveReader reader;
    private final Archive archive;
    private final UnaryOperator<String> redact;

    StaleArchiver(MailArchiveReader reader, Archive archive, UnaryOperator<String> redact) {
        this.reader = reader;
        this.archive = archive;
        this.redact = redact;
    }

    Archived archive(List<Integer> ids, String expectedState, int number) throws IOException, OdooException {
        List<Integer> archived = new ArrayList<>();
        Map<Integer, String> unreadable = new LinkedHashMap<>();
        Map<Integer, String> movedOn = new LinkedHashMap<>();
        Map<Integer, String> left = new LinkedHashMap<>();
        ArchiveWriter writer = archive.create(expectedState, number);
        try {
            for (int from = 0; from < ids.size(); from += READ_GROUP) {
                List<Integer> group = ids.subList(from, Math.min(ids.size(), from + READ_GROUP));
                Set<Integer> found = new LinkedHashSet<>();
                for (Map<String, Object> row : rows(group, left)) {
                    int id = OdooValues.count(row.get("id"), "id");
                    found.add(id);
                    String state = OdooValues.str(row.get("state"));
                    if (!expectedState.equals(state)) {
                        movedOn.put(id, "no longer " + expectedState + " (now " + state + ")");
                        continue;
                    }
                    writer.beginMail(row);
                    for (Integer attachment : MailArchiveReader.attachmentIds(row)) {
                        String problem = writeAttachment(writer, attachment);
                        if (problem != null) {
                            unreadable.putIfAbsent(id, problem);
                        }
                    }
                    writer.endMail();
                    archived.add(id);
                }
                for (Integer id : group) {
                    if (!found.contains(id) && !left.containsKey(id)) {
                        movedOn.put(id, "gone (deleted meanwhile)");
                    }
                }
            }
            if (archived.isEmpty()) {
                writer.abandon();
                return new Archived(null, archived, unreadable, movedOn, left);
            }
            return new Archived(writer.finish(), archived, unreadable, movedOn, left);
        } catch (IOException | OdooException | RuntimeException e) {
            writer.abandon(); // nothing of it was written to Odoo
            throw e;
        }
    }

    /** The rows of a group; a group too large for one reply is halved, down to the single mail. */
    private List<Map<String, Object>> rows(List<Integer> group, Map<Integer, String> left) throws OdooException {
        try {
            return reader.mails(group);
        } catch (OdooResponseTooLarge tooLarge) {
            if (group.size() == 1) {
                left.put(group.get(0), TOO_LARGE);
                return List.of();
            }
            int half = group.size() / 2;
            List<Map<String, Object>> out = new ArrayList<>(rows(group.subList(0, half), left));
            out.addAll(rows(group.subList(half, group.size()), left));
            return out;
        }
    }

    /**
     * Writes one attachment with its data; returns why it could not be read whole (then the archive
     * records that instead of the data), or null.
     */
    private String writeAttachment(ArchiveWriter writer, int id) throws IOException, OdooException {
        String problem;
        try {
            Map<String, Object> row = reader.attachment(id);
            if (row == null) {
                writer.attachment(Map.of("id", id, "gone", true));
                return null;
            }
            writer.attachment(row);
            return null;
        } catch (OdooResponseTooLarge tooLarge) {
            problem = "attachment " + id + " is larger than Odoo's reply limit (probe.max-response-size): it cannot be"
                    + " archived whole";
        } catch (OdooFault fault) {
            problem = "attachment " + id + " cannot be read: " + redact.apply(fault.lastLine());
        }
        Map<String, Object> note = new LinkedHashMap<>();
        note.put("id", id);
        note.put("unreadable", problem);
        writer.attachment(note);
        return problem;
    }
}
