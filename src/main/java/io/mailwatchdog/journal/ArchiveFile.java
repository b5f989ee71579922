package io.mailwatchdog.journal;

/**
 * One archive on disk, as the journal names it.
 *
 * @param path   relative to state-dir, e.g. {@code archive/shop/20261123T155004.507Z-exception-3.jsonl.gz}
 * @param rows   mails in it (one JSON line each)
 * @param sha256 of the compressed file, hex
 */
public record ArchiveFile(String path, int rows, String sha256) {
}
