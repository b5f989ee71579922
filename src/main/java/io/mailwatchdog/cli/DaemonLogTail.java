package io.mailwatchdog.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The recent end of the daemon's log file ({@code support-bundle --log-file}): at most the last
 * {@value #MAX_LINES} lines of its last {@value #MAX_BYTES} bytes, so that a log of months is not read whole.
 */
record DaemonLogTail(Path file, String text, int lines) {

    static final String ENTRY = "daemon.log";
    static final int MAX_LINES = 5_000;
    static final int MAX_BYTES = 4 * 1024 * 1024;

    static DaemonLogTail read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such file: " + file);
        }
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            long size = channel.size();
            long start = Math.max(0, size - MAX_BYTES);
            ByteBuffer buffer = ByteBuffer.allocate((int) (size - start));
            channel.position(start);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // read the tail to its end
            }
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
            List<String> all = text.lines().toList();
            if (start > 0 && !all.isEmpty()) {
                all = all.subList(1, all.size()); // the first line was cut in two
            }
            List<String> tail = all.subList(Math.max(0, all.size() - MAX_LINES), all.size());
            return new DaemonLogTail(file, tail.isEmpty() ? "" : String.join("\n", tail) + "\n", tail.size());
        }
    }
}
