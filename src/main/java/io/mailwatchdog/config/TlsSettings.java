package io.mailwatchdog.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** @param caFile PEM file of extra CA certificates, trusted in addition to the system store */
public record TlsSettings(Optional<Path> caFile) {
    public TlsSettings {
        Objects.requireNonNull(caFile, "caFile");
    }
}
