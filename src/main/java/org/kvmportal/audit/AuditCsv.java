package org.kvmportal.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;

/**
 * Audit entries as CSV (RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote or line break in
 * double quotes, quotes doubled). A cell that starts with {@code = + - @} (or a tab or carriage return) gets
 * a leading apostrophe, so that a spreadsheet shows it as text instead of running it as a formula: the log
 * holds text that users typed (user names, reasons, VM names).
 */
final class AuditCsv {

    static final List<String> HEADER = List.of(
            "time", "user", "role", "client", "action", "target", "vm_host", "vm_uuid", "reason", "result", "detail");

    private final Writer out;

    AuditCsv(Writer out) {
        this.out = out;
    }

    void header() {
        row(HEADER);
    }

    void entry(AuditEntry entry) {
        row(Arrays.asList(
                DateTimeFormatter.ISO_INSTANT.format(entry.time()),
                entry.username(),
                entry.role(),
                entry.client(),
                entry.action(),
                entry.target(),
                entry.vm() == null ? null : entry.vm().host(),
                entry.vm() == null ? null : entry.vm().uuid().toString(),
                entry.reason(),
                entry.result(),
                entry.detail()));
    }

    void row(List<String> cells) {
        try {
            for (int i = 0; i < cells.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(cell(cells.get(i)));
            }
            out.write("\r\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String text = startsLikeAFormula(value) ? "'" + value : value;
        boolean quote =
                text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0;
        return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }

    private static boolean startsLikeAFormula(String value) {
        char first = value.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
    }
}
