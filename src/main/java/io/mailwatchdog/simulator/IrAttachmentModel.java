package io.mailwatchdog.simulator;

import java.net.URLConnection;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ir.attachment} as mails use it (odoo/addons/base/models/ir_attachment.py): the content in
 * {@code datas} (base64 on the wire, bytes in the row), its size and SHA-1 {@code checksum} computed
 * from it, a {@code mimetype} guessed when none is given, and the owner in {@code res_model}/{@code res_id}.
 * Deleting one removes it from every mail's {@code attachment_ids} (the relation table's cascade).
 */
final class IrAttachmentModel extends OrmModel {

    static final String MAIL_MESSAGE = "mail.message";

    IrAttachmentModel(SimulatedDatabase db) {
        super(db, Schemas.irAttachment(), 1);
    }

    @Override
    Map<String, Object> defaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("type", "binary");
        d.put("res_id", 0);
        return d;
    }

    @Override
    void derive(Map<String, Object> row) {
        byte[] data = (byte[]) row.get("datas");
        row.put("file_size", data == null ? 0 : data.length);
        row.put("checksum", data == null ? null : sha1(data));
        if (row.get("mimetype") == null) {
            row.put("mimetype", guessMimetype((String) row.get("name"), data));
        }
    }

    @Override
    void unlink(List<Integer> ids) {
        synchronized (db.lock) {
            super.unlink(ids);
            for (Map<String, Object> mail : db.model("mail.mail").allRows()) {
                List<Integer> linked = listOfIds(mail.get("attachment_ids"));
                if (linked.stream().anyMatch(ids::contains)) {
                    List<Integer> kept = new ArrayList<>(linked);
                    kept.removeAll(ids);
                    mail.put("attachment_ids", kept);
                }
            }
        }
    }

    /**
     * What {@code mail.message.unlink} deletes of its messages' attachments: those whose owner is
     * {@code mail.message} and one of these messages, or none ({@code res_id} 0). The others stay, unlinked.
     */
    void unlinkOwnedByMessages(Collection<Integer> attachmentIds, Collection<Integer> messageIds) {
        List<Integer> owned = new ArrayList<>();
        for (Integer id : attachmentIds) {
            Map<String, Object> row = row(id);
            if (row != null && MAIL_MESSAGE.equals(row.get("res_model"))) {
                Object resId = row.get("res_id");
                if (resId == null || Integer.valueOf(0).equals(resId) || messageIds.contains(resId)) {
                    owned.add(id);
                }
            }
        }
        unlink(owned);
    }

    private static String sha1(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }

    /**
     * Odoo guesses from the name's extension, then from the content with libmagic. Here: the JDK's
     * table of extensions, then text (valid UTF-8 without control characters) or not.
     */
    static String guessMimetype(String name, byte[] data) {
        String byName = name == null ? null : URLConnection.guessContentTypeFromName(name);
        if (byName != null) {
            return byName;
        }
        return data != null && isText(data) ? "text/plain" : "application/octet-stream";
    }

    private static boolean isText(byte[] data) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(data)).toString();
            return text.chars().noneMatch(c -> c < 0x20 && c != '\n' && c != '\r' && c != '\t');
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
