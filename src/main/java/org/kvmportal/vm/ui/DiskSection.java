package org.kvmportal.vm.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import java.util.List;
import org.kvmportal.hypervisor.DomainHardware.Disk;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.EditChoices;
import org.kvmportal.vm.VmEditing;

/** The VM's disks: change one (size, bus, detach), or add a new or existing volume of a storage pool. */
final class DiskSection extends VerticalLayout {

    private static final List<String> BUSES = List.of("virtio", "sata", "scsi", "ide", "usb");
    private static final String NEW = "New volume";
    private static final String EXISTING = "Existing volume";

    private final VmEditing editing;
    private final DomainRef ref;
    private final EditRunner runner;

    DiskSection(VmEditing editing, DomainRef ref, HardwarePanel.Loaded loaded, EditRunner runner) {
        this.editing = editing;
        this.ref = ref;
        this.runner = runner;
        setPadding(false);
        var grid = new Grid<Disk>();
        grid.setId("hw-disks");
        grid.addColumn(Disk::target).setHeader("Target").setAutoWidth(true);
        grid.addColumn(Disk::device).setHeader("Kind").setAutoWidth(true);
        grid.addColumn(Disk::bus).setHeader("Bus").setAutoWidth(true);
        grid.addColumn(disk -> disk.source().isEmpty() ? "no medium" : disk.source())
                .setHeader("Source");
        grid.addColumn(disk -> disk.capacityBytes() < 0 ? "" : Sizes.memory(disk.capacityBytes() / 1024))
                .setHeader("Size")
                .setAutoWidth(true);
        grid.addComponentColumn(disk -> new Button("Change…", event -> change(disk)))
                .setAutoWidth(true)
                .setFlexGrow(0);
        grid.setItems(loaded.hardware().disks());
        grid.setAllRowsVisible(true);
        add(grid, addForm(loaded.choices()));
    }

    private HorizontalLayout addForm(EditChoices choices) {
        var kind = new RadioButtonGroup<String>();
        kind.setItems(NEW, EXISTING);
        kind.setValue(NEW);
        var pool = new Select<String>();
        pool.setLabel("Storage pool");
        pool.setId("hw-disk-pool");
        pool.setItems(choices.pools().stream().map(EditChoices.Pool::name).toList());
        pool.setEmptySelectionAllowed(false);
        var name = new TextField("Volume name");
        name.setId("hw-disk-name");
        name.setPlaceholder("data.qcow2");
        var existing = new Select<String>();
        existing.setLabel("Volume");
        existing.setVisible(false);
        var size = new IntegerField("Size (GiB)");
        size.setValue(10);
        var format = new Select<String>();
        format.setLabel("Format");
        format.setItems("qcow2", "raw");
        format.setValue("qcow2");
        var bus = busSelect(BUSES, "virtio");
        pool.addValueChangeListener(event -> {
            // The server offers only what this person may attach (their VMs' volumes nothing else uses).
            var offered = choices.pool(event.getValue())
                    .map(p -> p.volumes().stream().map(EditChoices.Volume::name).toList())
                    .orElse(List.of());
            existing.setItems(offered);
            existing.setHelperText(offered.isEmpty() ? "No volume of this pool that you may attach." : null);
        });
        kind.addValueChangeListener(event -> {
            boolean isNew = NEW.equals(event.getValue());
            name.setVisible(isNew);
            size.setVisible(isNew);
            format.setVisible(isNew);
            existing.setVisible(!isNew);
        });
        if (choices.pools().isEmpty()) {
            pool.setHelperText("This host has no active storage pool.");
        } else {
            pool.setValue(choices.pools().getFirst().name());
        }
        var errors = new EditErrors()
                .bind("pool", pool)
                .bind("volume", name)
                .bind("size", size)
                .bind("format", format)
                .bind("bus", bus);
        var existingErrors =
                new EditErrors().bind("pool", pool).bind("volume", existing).bind("bus", bus);
        var add = new Button("Add disk", event -> {
            if (NEW.equals(kind.getValue())) {
                runner.run(
                        errors,
                        () -> editing.addNewDisk(
                                ref,
                                pool.getValue(),
                                name.getValue(),
                                size.getValue() == null ? null : size.getValue().longValue(),
                                format.getValue(),
                                bus.getValue()));
            } else {
                runner.run(
                        existingErrors,
                        () -> editing.attachDisk(ref, pool.getValue(), existing.getValue(), bus.getValue()));
            }
        });
        add.setId("hw-disk-add");
        var form = new HorizontalLayout(kind, pool, name, existing, size, format, bus, add);
        form.setAlignItems(Alignment.BASELINE);
        form.setWrap(true);
        return form;
    }

    private void change(Disk disk) {
        var dialog = new Dialog();
        dialog.setHeaderTitle("Disk " + disk.target());
        var size = new IntegerField("New size (GiB)");
        var resize = new Button("Grow");
        var sizeErrors = new EditErrors().bind("size", size).bind("target", size);
        resize.addClickListener(event -> runner.run(
                sizeErrors,
                () -> editing.resizeDisk(
                        ref,
                        disk.target(),
                        size.getValue() == null ? null : size.getValue().longValue()),
                dialog::close));
        var bus = busSelect(disk.isCdrom() ? List.of("sata", "ide", "scsi", "usb") : BUSES, disk.bus());
        var busErrors = new EditErrors().bind("bus", bus);
        var move = new Button(
                "Change bus",
                event -> runner.run(
                        busErrors, () -> editing.changeDiskBus(ref, disk.target(), bus.getValue()), dialog::close));
        var detach = new Button(
                "Detach (keeps the volume)",
                event -> runner.run(new EditErrors(), () -> editing.detachDisk(ref, disk.target()), dialog::close));
        detach.setId("hw-disk-detach");
        detach.addThemeVariants(ButtonVariant.LUMO_ERROR);
        var sizeRow = new HorizontalLayout(size, resize);
        sizeRow.setAlignItems(Alignment.BASELINE);
        sizeRow.setVisible(!disk.isCdrom());
        var busRow = new HorizontalLayout(bus, move);
        busRow.setAlignItems(Alignment.BASELINE);
        dialog.add(new VerticalLayout(sizeRow, busRow, detach));
        dialog.getFooter().add(new Button("Close", event -> dialog.close()));
        dialog.open();
    }

    static Select<String> busSelect(List<String> buses, String value) {
        var bus = new Select<String>();
        bus.setLabel("Bus");
        bus.setItems(buses);
        bus.setValue(buses.contains(value) ? value : buses.getFirst());
        return bus;
    }
}
