package io.mailwatchdog.odoo;

import java.util.List;
import java.util.Map;

/**
 * The server's version and, derived from it, every capability that differs between 16.0 and 19.0
 * (ODOO-NOTES.md §8). Callers ask the capability, never the number.
 */
public record OdooVersion(int major, int minor, String serverVersion) {

    /** Reads {@code common.version()}: major/minor from {@code server_version_info} ({@code saas~18.2}, {@code +e} tolerated). */
    static OdooVersion fromVersionStruct(Object reply, String url) throws OdooProtocolError {
        Map<String, Object> struct = OdooValues.struct(reply, "version()");
        Object info = struct.get("server_version_info");
        String text = OdooValues.str(struct.get("server_version"));
        List<Object> parts = info instanceof Object[] array ? List.of(array) : List.of();
        if (parts.size() >= 2 && parts.get(0) instanceof Integer major) {
            int minor = parts.get(1) instanceof Integer m ? m : 0;
            return new OdooVersion(major, minor, text == null ? major + "." + minor : text);
        }
        if (text != null) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\.(\\d+)").matcher(text);
            if (m.find()) {
                return new OdooVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), text);
            }
        }
        throw new OdooProtocolError(url + ": version() did not say which Odoo this is");
    }

    /** 16.0 and 17.0 stop a cron whose {@code numbercall} reached 0; 18.0 dropped the field. */
    public boolean cronHasNumbercall() {
        return major <= 17;
    }

    /** 18.0+ count consecutive cron failures and deactivate after 5 over 7 days. */
    public boolean cronHasFailureCount() {
        return major >= 18;
    }

    /** 19.0 deprecates {@code read_group} (a DeprecationWarning per call) for {@code formatted_read_group}. */
    public boolean prefersFormattedReadGroup() {
        return major >= 19;
    }

    /** 18.0 added {@code batch_size} to process_email_queue; 16.0/17.0 refuse the keyword (Fault 1, nothing sent). */
    public boolean processQueueTakesBatchSize() {
        return major >= 18;
    }

    /**
     * How many of the ids given to {@code process_email_queue} (with them as the context's filters) one call sends at
     * most, from the ICP {@code mail.mail.queue.batch.size} (empty: unset or not a number) and the {@code batch_size}
     * passed: 16.0 searches 10,000; 17.0 the ICP's value (10,000 unset); 18.0 and 19.0 ten times the ICP's value,
     * which wins over {@code batch_size}. An ICP of 0 lifts the limit (Odoo's {@code search(limit=0)}), except on 19.0,
     * which then keeps {@code batch_size}. Checked in each version's {@code mail_mail.py}.
     */
    public int processQueueIdsPerCall(java.util.OptionalInt icpBatchSize, int batchSize) {
        if (!processQueueReadsBatchSizeParam()) {
            return 10_000;
        }
        if (major == 17) {
            int b = icpBatchSize.orElse(10_000);
            return b <= 0 ? Integer.MAX_VALUE : b;
        }
        int b = icpBatchSize.isPresent() && !(major >= 19 && icpBatchSize.getAsInt() == 0)
                ? icpBatchSize.getAsInt() : batchSize;
        return b <= 0 ? Integer.MAX_VALUE : (int) Math.min(Integer.MAX_VALUE, 10L * b);
    }

    /** 17.0 added the ICP {@code mail.mail.queue.batch.size} to process_email_queue; 16.0 searches 10,000. */
    public boolean processQueueReadsBatchSizeParam() {
        return major >= 17;
    }

    /** 18.0 records each cron run in {@code ir.cron.progress}; before, a running cron leaves no trace. */
    public boolean hasCronProgress() {
        return major >= 18;
    }

    /** Supported versions: the ones whose fields and signatures were checked. */
    public boolean supported() {
        return major >= 16 && major <= 19;
    }

    /** The cron fields this version has (reading a missing one is a Fault 1). */
    public List<String> cronFields() {
        List<String> common = List.of("active", "nextcall", "lastcall", "interval_number", "interval_type",
                "priority", "cron_name");
        List<String> extra = cronHasFailureCount() ? List.of("failure_count", "first_failure_date")
                : List.of("numbercall", "doall");
        return concat(common, extra);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        java.util.ArrayList<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    public String label() {
        return serverVersion;
    }
}
