package org.kvmportal.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.kvmportal.hypervisor.DomainRef;

class AuditCsvTest {

    @Test
    void plain_cells_stay_as_they_are_and_empty_or_missing_ones_are_empty() {
        assertThat(AuditCsv.cell("VM_START")).isEqualTo("VM_START");
        assertThat(AuditCsv.cell("Ünïcödé ✓")).isEqualTo("Ünïcödé ✓");
        assertThat(AuditCsv.cell(null)).isEmpty();
        assertThat(AuditCsv.cell("")).isEmpty();
    }

    @Test
    void cells_with_commas_quotes_or_line_breaks_are_quoted_with_quotes_doubled() {
        assertThat(AuditCsv.cell("a,b")).isEqualTo("\"a,b\"");
        assertThat(AuditCsv.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(AuditCsv.cell("line 1\nline 2")).isEqualTo("\"line 1\nline 2\"");
        assertThat(AuditCsv.cell("cr\rhere")).isEqualTo("\"cr\rhere\"");
    }

    @Test
    void cells_that_a_spreadsheet_would_run_as_a_formula_are_made_text() {
        assertThat(AuditCsv.cell("=HYPERLINK(\"http://evil\")")).isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\")\"");
        assertThat(AuditCsv.cell("+1")).isEqualTo("'+1");
        assertThat(AuditCsv.cell("-2+3")).isEqualTo("'-2+3");
        assertThat(AuditCsv.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(AuditCsv.cell("\tcmd")).isEqualTo("'\tcmd");
        assertThat(AuditCsv.cell("a=b")).isEqualTo("a=b");
    }

    @Test
    void rows_end_with_crlf_and_an_entry_has_every_column_in_header_order() {
        var out = new StringWriter();
        var csv = new AuditCsv(out);
        csv.header();
        var uuid = UUID.fromString("00000000-0000-0000-0000-00000000000a");
        csv.entry(new AuditEntry(
                Instant.parse("2026-03-01T10:15:30Z"),
                "alice",
                "USER",
                "203.0.113.9",
                "VM_START",
                "sim/web-1, the \"big\" one",
                new DomainRef("sim", uuid),
                "=cmd|' /C calc'!A0",
                "SUCCESS",
                null));

        String[] lines = out.toString().split("\r\n", -1);
        assertThat(lines).hasSize(3);
        assertThat(lines[2]).isEmpty();
        assertThat(Arrays.asList(lines[0].split(",")))
                .containsExactly(
                        "time", "user", "role", "client", "action", "target", "vm_host", "vm_uuid", "reason", "result",
                        "detail");
        assertThat(lines[1])
                .isEqualTo("2026-03-01T10:15:30Z,alice,USER,203.0.113.9,VM_START,\"sim/web-1, the \"\"big\"\" one\","
                        + "sim,00000000-0000-0000-0000-00000000000a,'=cmd|' /C calc'!A0,SUCCESS,");
    }
}
