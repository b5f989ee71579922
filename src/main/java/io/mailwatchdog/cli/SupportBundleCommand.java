package io.mailwatchdog.cli;

import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.report.Redactor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "support-bundle", description = {
        "Writes a zip for whoever helps with a target: its masked config, last probe",
        "and findings, probe history, journal, failure signatures, SMTP tests,",
        "scheduler and (with --log-file) recent daemon logs, with a README.",
        "Reads state-dir only; never contacts Odoo. Leaves out mail bodies,",
        "state-dir/archive and every secret.",
        "Exit: 0 written, 2 no state of that target in state-dir, 3 error,",
        "78 invalid config."})
final class SupportBundleCommand implements Callable<Integer> {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    @CommandLine.ParentCommand
    Main main;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--output", paramLabel = "FILE",
            description = "the zip to write (replaced if it exists); default odoo-mail-watchdog-bundle-<target>-<UTC time>.zip here")
    Path output;

    @Option(names = "--log-file", paramLabel = "FILE",
            description = "the daemon's log file, if it writes one (e.g. journalctl -u odoo-mail-watchdog > FILE): its last "
                    + DaemonLogTail.MAX_LINES + " lines go in, secrets masked")
    Path logFile;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Settings settings = Context.load(main, err);
            TargetSettings target = OneTarget.choose(settings, main, err, "support-bundle");
            if (!SupportBundle.hasState(settings.stateDir(), target.name())) {
                err.println("no state of target " + target.name() + " in " + settings.stateDir() + ": no last probe"
                        + " (last/), no probe history (history/) and no journal (journal/). The daemon (run) writes them;"
                        + " check does not. Is this the state-dir of the daemon that watches " + target.name() + "?");
                return ExitCodes.FAIL;
            }
            Optional<DaemonLogTail> log = Optional.empty();
            if (logFile != null) {
                try {
                    log = Optional.of(DaemonLogTail.read(logFile));
                } catch (IOException e) {
                    err.println("error: cannot read the log file given by --log-file: " + e.getMessage());
                    return ExitCodes.UNKNOWN;
                }
            }
            Instant now = main.clock.instant().truncatedTo(ChronoUnit.SECONDS);
            SupportBundle bundle = SupportBundle.collect(settings, target, main.clock, log);
            Map<String, byte[]> files = masked(bundle, settings, target, now);
            Path zip = output != null ? output : Path.of(defaultName(target.name(), now));
            long size = write(zip, files, now);
            out.println("wrote " + zip.toAbsolutePath() + " (" + files.size() + " files, " + size + " bytes): "
                    + String.join(", ", files.keySet()));
            if (!bundle.missing().isEmpty()) {
                out.println("not in it: " + String.join(", ", BundleReadme.FILES.keySet().stream()
                        .filter(bundle.missing()::containsKey).toList()) + " (README.txt says why)");
            }
            out.flush();
            return ExitCodes.OK;
        } catch (Context.Exit exit) {
            return exit.code;
        } catch (SecretInBundle e) {
            err.println("error: " + e.getMessage() + "; no bundle written");
            return ExitCodes.UNKNOWN;
        } catch (IOException e) {
            err.println("cannot write the support bundle: " + e);
            return ExitCodes.UNKNOWN;
        }
    }

    static String defaultName(String target, Instant at) {
        return "odoo-mail-watchdog-bundle-" + target + "-" + STAMP.format(at) + ".zip";
    }

    /** Every file through the Redactor, then proven free of each secret: a file that still holds one stops the bundle. */
    private static Map<String, byte[]> masked(SupportBundle bundle, Settings settings, TargetSettings target, Instant now) {
        Redactor redactor = new Redactor(settings);
        SecretScan scan = new SecretScan(settings);
        List<SupportBundle.Entry> entries = new ArrayList<>(bundle.entries());
        List<String> names = new ArrayList<>(entries.stream().map(SupportBundle.Entry::name).toList());
        names.add(BundleReadme.ENTRY);
        entries.add(new SupportBundle.Entry(BundleReadme.ENTRY, BundleReadme.render(target.name(), now,
                VersionCommand.version(), names, bundle.missing(), bundle.historySkipped(), bundle.journalSkipped())));
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (SupportBundle.Entry e : entries) {
            byte[] bytes = redactor.apply(e.text()).getBytes(StandardCharsets.UTF_8);
            if (scan.foundIn(bytes)) {
                throw new SecretInBundle(e.name());
            }
            files.put(e.name(), bytes);
        }
        return files;
    }

    /** Writes a private temporary zip beside {@code zip}, then moves it into place: never half a bundle. */
    private static long write(Path zip, Map<String, byte[]> files, Instant now) throws IOException {
        Path dir = zip.toAbsolutePath().getParent();
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, ".odoo-mail-watchdog-bundle-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            tmp = Files.createTempFile(dir, ".odoo-mail-watchdog-bundle-", ".tmp");
        }
        try {
            try (OutputStream raw = Files.newOutputStream(tmp); ZipOutputStream out = new ZipOutputStream(raw)) {
                for (Map.Entry<String, byte[]> f : files.entrySet()) {
                    ZipEntry entry = new ZipEntry(f.getKey());
                    entry.setLastModifiedTime(FileTime.from(now));
                    out.putNextEntry(entry);
                    out.write(f.getValue());
                    out.closeEntry();
                }
            }
            try {
                Files.move(tmp, zip, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, zip, StandardCopyOption.REPLACE_EXISTING);
            }
            return Files.size(zip);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A file of the bundle still held a secret after masking; the message names the file, never the secret. */
    static final class SecretInBundle extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SecretInBundle(String entry) {
            super(entry + " still held a secret after masking", null, false, false);
        }
    }
}
