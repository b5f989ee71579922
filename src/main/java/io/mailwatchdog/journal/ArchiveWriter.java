package io.mailwatchdog.journal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes one archive, a mail at a time, streaming: a mail's attachments are written one by one as they
 * are read, so that memory holds one attachment at most. {@link #finish} makes the file durable;
 * {@link #abandon} deletes a file that must not count (nothing in it was written to Odoo).
 */
public final class ArchiveWriter implements Closeable {

    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

    private final Path file;
    private final String relative;
    private final FileChannel channel;
    private final Archive.Fsync fsync;
    private final MessageDigest sha256;
    private final GZIPOutputStream gzip;
    private final JsonGenerator json;
    private int rows;
    private boolean inMail;
    private boolean done;

    ArchiveWriter(Path file, String relative, FileChannel channel, Archive.Fsync fsync) throws IOException {
        this.file = file;
        this.relative = relative;
        this.channel = channel;
        this.fsync = fsync;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        OutputStream toFile = new DigestOutputStream(Channels.newOutputStream(channel), sha256);
        this.gzip = new GZIPOutputStream(new BufferedOutputStream(toFile, 64 * 1024));
        this.json = JSON.getFactory().createGenerator(gzip, JsonEncoding.UTF8)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    /** Starts a mail's line with its whole row, as Odoo returned it. */
    public void beginMail(Map<String, Object> row) throws IOException {
        if (inMail) {
            throw new IllegalStateException("the previous mail is not ended");
        }
        json.writeStartObject();
        json.writeFieldName("mail");
        JSON.writeValue(json, row);
        json.writeArrayFieldStart("attachments");
        inMail = true;
    }

    /** One attachment of the current mail: its row with its data, or what stopped it from being read. */
    public void attachment(Map<String, Object> row) throws IOException {
        if (!inMail) {
            throw new IllegalStateException("no mail begun");
        }
        JSON.writeValue(json, row);
    }

    /** Ends the current mail's line. */
    public void endMail() throws IOException {
        if (!inMail) {
            throw new IllegalStateException("no mail begun");
        }
        json.writeEndArray();
        json.writeEndObject();
        json.writeRaw('\n');
        inMail = false;
        rows++;
    }

    public int rows() {
        return rows;
    }

    public String relativePath() {
        return relative;
    }

    /** Completes the file, fsyncs it and then its directory; after this the archive survives a crash. */
    public ArchiveFile finish() throws IOException {
        if (inMail) {
            throw new IllegalStateException("the last mail is not ended");
        }
        json.flush();
        gzip.finish();
        gzip.flush();
        fsync.file(channel);
        channel.close();
        fsync.directory(file.getParent());
        done = true;
        return new ArchiveFile(relative, rows, HexFormat.of().formatHex(sha256.digest()));
    }

    /** Deletes the unfinished file: nothing it holds was written to Odoo. */
    public void abandon() throws IOException {
        done = true;
        try {
            json.close();
            gzip.close();
        } catch (IOException ignored) {
            // the file goes anyway
        }
        channel.close();
        Files.deleteIfExists(file);
    }

    /** Abandons the file unless it was finished. */
    @Override
    public void close() throws IOException {
        if (!done) {
            abandon();
        }
    }
}
