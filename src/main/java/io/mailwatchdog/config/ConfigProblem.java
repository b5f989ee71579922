package io.mailwatchdog.config;

/**
 * One thing wrong with the configuration, located like a compiler error.
 *
 * @param file    the file holding the offending value (or the main config file)
 * @param line    1-based line of the offending value, or of the enclosing object when a key is
 *                missing; -1 when unknown
 * @param path    key path such as {@code targets[0].thresholds.oldest-outgoing-warn} (list
 *                indexes count from 0); empty for problems about the file as a whole
 * @param message what is wrong and, where it helps, what to write instead; never a secret
 */
public record ConfigProblem(String file, int line, String path, String message) {
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(file == null ? "" : file);
        if (line > 0) {
            out.append(':').append(line);
        }
        if (out.length() > 0) {
            out.append(": ");
        }
        if (path != null && !path.isEmpty()) {
            out.append(path).append(": ");
        }
        return out.append(message).toString();
    }
}
