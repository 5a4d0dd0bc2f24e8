package org.kvmportal.vm.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import java.util.concurrent.CompletableFuture;
import org.kvmportal.hypervisor.DomainHardware;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.EditChoices;
import org.kvmportal.hypervisor.EditLimits;
import org.kvmportal.vm.VmEditing;
import org.kvmportal.vm.VmService;

/**
 * The Hardware tab, for people who may change the VM: processors and memory, disks, CD-ROM, network interfaces,
 * boot order, description and autostart, and the XML for admins. Read from the host each time the tab is shown,
 * and again after each change; what a running VM gets only at its next start is listed at the top.
 */
final class HardwarePanel extends VerticalLayout {

    /** What the sections are built from. */
    record Loaded(DomainHardware hardware, EditLimits limits, EditChoices choices, boolean autostart) {}

    private final VmEditing editing;
    private final VmService vms;
    private final DomainRef ref;
    private final Div sections = new Div();
    private final XmlEditor xmlEditor;

    HardwarePanel(VmEditing editing, VmService vms, DomainRef ref, UI ui) {
        this.editing = editing;
        this.vms = vms;
        this.ref = ref;
        setId("vm-hardware");
        setPadding(false);
        sections.setWidthFull();
        add(sections);
        xmlEditor = editing.mayEditXml(ref) ? new XmlEditor(editing, ref, this::load) : null;
        addAttachListener(event -> load());
    }

    private void load() {
        var ui = UI.getCurrent();
        if (ui == null) {
            return;
        }
        sections.removeAll();
        sections.add(new Paragraph("Loading…"));
        var hardware = editing.hardware(ref);
        var limits = editing.limits(ref);
        // Pools and networks only help to add things: a host that cannot list them still shows the rest.
        var choices =
                editing.choices(ref).exceptionally(error -> new EditChoices(java.util.List.of(), java.util.List.of()));
        CompletableFuture.allOf(hardware, limits, choices)
                .whenComplete((done, error) -> ui.access(() -> {
                    sections.removeAll();
                    if (error != null) {
                        sections.add(new Paragraph(VmService.messageOf(error)));
                        return;
                    }
                    boolean autostart = vms.find(ref).map(vm -> vm.autostart()).orElse(false);
                    show(new Loaded(hardware.join(), limits.join(), choices.join(), autostart), ui);
                }));
    }

    private void show(Loaded loaded, UI ui) {
        var runner = new EditRunner(ui, this::load);
        if (!loaded.hardware().pending().isEmpty()) {
            sections.add(pending(loaded.hardware()));
        }
        sections.add(
                section("Processors and memory", new ProcessorMemoryForm(editing, ref, loaded, runner)),
                section("Disks", new DiskSection(editing, ref, loaded, runner)),
                section("CD-ROM", new CdromSection(editing, ref, loaded, runner)),
                section("Network interfaces", new NicSection(editing, ref, loaded, runner)),
                section("Boot order", new BootOrderForm(editing, ref, loaded, runner)),
                section("Description and autostart", new DescriptionForm(editing, ref, loaded, runner)));
        if (xmlEditor != null) {
            xmlEditor.reset();
            sections.add(section("XML", xmlEditor));
        }
    }

    private static Div pending(DomainHardware hardware) {
        var box = new Div(new H3("Waiting for a restart"));
        box.setId("hw-pending");
        box.addClassName("pending-changes");
        var list = new UnorderedList();
        hardware.pending().forEach(line -> list.add(new ListItem(line)));
        box.add(list);
        return box;
    }

    private static Div section(String title, com.vaadin.flow.component.Component content) {
        var section = new Div(new H3(title), content);
        section.addClassName("hardware-section");
        return section;
    }
}
