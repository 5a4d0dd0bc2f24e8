package org.kvmportal.vm.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.vm.VmEditing;

/** vCPUs and memory, each with its maximum; the host's limits shown beside them. */
final class ProcessorMemoryForm extends VerticalLayout {

    ProcessorMemoryForm(VmEditing editing, DomainRef ref, HardwarePanel.Loaded loaded, EditRunner runner) {
        setPadding(false);
        var hardware = loaded.hardware();
        var limits = loaded.limits();
        var vcpus = field("vCPUs", "hw-vcpus", hardware.vcpus());
        var maxVcpus = field("Maximum vCPUs", "hw-max-vcpus", hardware.maxVcpus());
        maxVcpus.setHelperText("This host allows up to " + limits.maxVcpus() + ".");
        var memory = field("Memory (MiB)", "hw-memory", hardware.memoryKiB() / 1024);
        var maxMemory = field("Maximum memory (MiB)", "hw-max-memory", hardware.maxMemoryKiB() / 1024);
        maxMemory.setHelperText("The host has " + limits.hostMemoryKiB() / 1024 + " MiB"
                + (limits.freeMemoryKiB() < 0 ? "." : ", " + limits.freeMemoryKiB() / 1024 + " MiB free."));
        var errors = new EditErrors()
                .bind("vcpus", vcpus)
                .bind("maxVcpus", maxVcpus)
                .bind("memory", memory)
                .bind("maxMemory", maxMemory);
        var save = new Button(
                "Save processors and memory",
                event -> runner.run(
                        errors,
                        () -> editing.setProcessorsAndMemory(
                                ref,
                                vcpus.getValue(),
                                maxVcpus.getValue(),
                                asLong(memory.getValue()),
                                asLong(maxMemory.getValue()))));
        save.setId("hw-cpu-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        var form = new FormLayout(vcpus, maxVcpus, memory, maxMemory);
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("40em", 2));
        add(form, save);
    }

    private static IntegerField field(String label, String id, long value) {
        var field = new IntegerField(label);
        field.setId(id);
        field.setValue((int) value);
        field.setStepButtonsVisible(true);
        return field;
    }

    private static Long asLong(Integer value) {
        return value == null ? null : value.longValue();
    }
}
