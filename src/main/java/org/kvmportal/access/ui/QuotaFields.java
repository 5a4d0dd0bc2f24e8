package org.kvmportal.access.ui;

import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import org.kvmportal.access.Quotas;
import org.kvmportal.base.ui.FieldErrors;

/** The three quota inputs of a user or group; empty means no limit. */
final class QuotaFields extends HorizontalLayout {

    private final IntegerField vms = field("VMs", "quota-vms");
    private final IntegerField vcpus = field("vCPUs", "quota-vcpus");
    private final IntegerField memoryMib = field("Memory (MiB)", "quota-memory");

    QuotaFields() {
        setPadding(false);
        add(vms, vcpus, memoryMib);
    }

    Quotas value() {
        return new Quotas(
                vms.getValue(),
                vcpus.getValue(),
                memoryMib.getValue() == null ? null : memoryMib.getValue().longValue());
    }

    void setValue(Quotas quotas) {
        vms.setValue(quotas.vms());
        vcpus.setValue(quotas.vcpus());
        memoryMib.setValue(quotas.memoryMib() == null ? null : Math.toIntExact(quotas.memoryMib()));
    }

    FieldErrors bindTo(FieldErrors errors) {
        return errors.bind("quotaVms", vms).bind("quotaVcpus", vcpus).bind("quotaMemoryMib", memoryMib);
    }

    private static IntegerField field(String label, String id) {
        var field = new IntegerField(label);
        field.setId(id);
        field.setPlaceholder("no limit");
        field.setClearButtonVisible(true);
        return field;
    }
}
