package io.mailwatchdog.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archives of rows before they are cancelled or deleted: private, compressed, durable, and kept for a while. */
class ArchiveTest {

    static final Instant T0 = Instant.parse("2026-11-23T15:50:04.507Z");

    @TempDir
    Path dir;

    Path state() {
        return dir.resolve("state");
    }

    static Map<String, Object> mail(int id) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("state", "exception");
        row.put("body_html", "<p>Invoice " + id + "</p>");
        row.put("mail_server_id", new Object[] {1, "relay"});
        row.put("scheduled_date", false);
        row.put("attachment_ids", List.of(10 * id));
        return row;
    }

    static ArchiveFile writeTwoMails(Archive archive) throws IOException {
        try (ArchiveWriter w = archive.create("exception", 3)) {
            w.beginMail(mail(1));
            w.attachment(Map.of("id", 10, "name", "INV-1.pdf", "datas", "JVBERi0xLjQK"));
            w.endMail();
            w.beginMail(mail(2));
            w.endMail();
            return w.finish();
        }
    }

    @Test
    void anArchiveIsOneGzippedJsonLinePerMailWithItsAttachmentsDataIncluded() throws Exception {
        Archive archive = Archive.of(state(), "shop", Clock.fixed(T0, ZoneOffset.UTC));

        ArchiveFile file = writeTwoMails(archive);

        assertThat(file.path()).isEqualTo("archive/shop/20261123T155004.507Z-exception-3.jsonl.gz");
        assertThat(file.rows()).isEqualTo(2);
        List<JsonNode> lines = Archive.read(state().resolve(file.path()));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).get("mail").get("id").asInt()).isEqualTo(1);
        assertThat(lines.get(0).get("mail").get("body_html").asText()).isEqualTo("<p>Invoice 1</p>");
        assertThat(lines.get(0).get("mail").get("mail_server_id").toString()).isEqualTo("[1,\"relay\"]");
        assertThat(lines.get(0).get("mail").get("scheduled_date").asBoolean(true)).isFalse();
        assertThat(lines.get(0).get("attachments").get(0).get("datas").asText()).isEqualTo("JVBERi0xLjQK");
        assertThat(lines.get(1).get("attachments")).isEmpty();
        // a plain gunzip reads it too: one line per mail
        try (InputStream in = new GZIPInputStream(Files.newInputStream(state().resolve(file.path())))) {
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")).hasSize(2);
        }
    }

    @Test
    void theSha256NamedInTheJournalIsThatOfTheFileOnDisk() throws Exception {
        ArchiveFile file = writeTwoMails(Archive.of(state(), "shop", Clock.fixed(T0, ZoneOffset.UTC)));

        byte[] bytes = Files.readAllBytes(state().resolve(file.path()));
        assertThat(file.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    }

    @Test
    void theArchiveIsReadableByItsOwnerOnlyInPrivateDirectories() throws Exception {
        ArchiveFile file = writeTwoMails(Archive.of(state(), "shop", Clock.fixed(T0, ZoneOffset.UTC)));

        Path path = state().resolve(file.path());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path.getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state().resolve("archive"))))
                .isEqualTo("rwx------");
    }

    @Test
    void finishReturnsOnlyAfterTheFileAndThenItsDirectoryWereSynced() throws Exception {
        List<String> synced = new ArrayList<>();
        Archive.Fsync recording = new Archive.Fsync() {
            @Override
            public void file(FileChannel channel) throws IOException {
                // by now every compressed byte is in the file
                synced.add("file " + channel.size());
                channel.force(true);
            }

            @Override
            public void directory(Path directory) {
                synced.add("directory " + directory.getFileName());
            }
        };
        Archive archive = new Archive(state(), "shop", Clock.fixed(T0, ZoneOffset.UTC), recording);

        ArchiveFile file = writeTwoMails(archive);

        long size = Files.size(state().resolve(file.path()));
        assertThat(synced).containsExactly("file " + size, "directory shop");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(state().resolve(file.path())))) {
            assertThat(in.readAllBytes()).isNotEmpty(); // complete: the gzip trailer was written before the sync
        }
    }

    @Test
    void anAbandonedArchiveLeavesNoFile() throws Exception {
        Archive archive = Archive.of(state(), "shop", Clock.fixed(T0, ZoneOffset.UTC));
        try (ArchiveWriter w = archive.create("outgoing", 1)) {
            w.beginMail(mail(1));
            w.endMail();
            w.abandon();
        }
        try (ArchiveWriter w = archive.create("outgoing", 2)) {
            w.beginMail(mail(1));
            w.endMail();
            // closed without finish: it did not count
        }

        assertThat(archive.directory()).isEmptyDirectory();
    }

    @Test
    void anArchiveIsNeverOverwritten() throws Exception {
        Archive archive = Archive.of(state(), "shop", Clock.fixed(T0, ZoneOffset.UTC));
        writeTwoMails(archive);

        assertThatThrownBy(() -> archive.create("exception", 3)).isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
        assertThat(Archive.read(archive.directory().resolve("20261123T155004.507Z-exception-3.jsonl.gz"))).hasSize(2);
    }

    @Test
    void retentionDeletesOnlyArchivesOlderThanItAndNothingElse() throws Exception {
        Instant now = T0;
        Archive old = Archive.of(state(), "shop", Clock.fixed(now.minus(Duration.ofDays(91)), ZoneOffset.UTC));
        Archive recent = Archive.of(state(), "shop", Clock.fixed(now.minus(Duration.ofDays(89)), ZoneOffset.UTC));
        String oldName = writeTwoMails(old).path();
        String recentName = writeTwoMails(recent).path();
        Path notAnArchive = old.directory().resolve("notes.txt");
        Files.writeString(notAnArchive, "kept");
        Archive otherTarget = Archive.of(state(), "books", Clock.fixed(now.minus(Duration.ofDays(91)), ZoneOffset.UTC));
        writeTwoMails(otherTarget);

        Archive today = Archive.of(state(), "shop", Clock.fixed(now, ZoneOffset.UTC));
        assertThat(today.olderThan(Duration.ofDays(90))).containsExactly(state().resolve(oldName));
        assertThat(today.deleteOlderThan(Duration.ofDays(90))).isEqualTo(1);

        assertThat(state().resolve(oldName)).doesNotExist();
        assertThat(state().resolve(recentName)).exists();
        assertThat(notAnArchive).exists();
        assertThat(otherTarget.directory()).isNotEmptyDirectory(); // each target's retention runs on its own archives
    }

    @Test
    void aTargetNameIsMadeSafeForTheFileSystem() {
        Archive archive = Archive.of(state(), "../shop prod", Clock.fixed(T0, ZoneOffset.UTC));

        assertThat(archive.directory()).isEqualTo(state().resolve("archive").resolve(".._shop_prod"));
        assertThat(Archive.of(state(), "..", Clock.systemUTC()).directory()).isEqualTo(state().resolve("archive").resolve("_.."));
    }
}
