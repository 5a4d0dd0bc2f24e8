package org.kvmportal.vm.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import java.util.List;
import org.kvmportal.hypervisor.DomainHardware.Disk;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.EditChoices;
import org.kvmportal.vm.VmEditing;

/** Each CD-ROM drive with its medium: insert a pool's disc image (.iso) or eject; add a drive. */
final class CdromSection extends VerticalLayout {

    CdromSection(VmEditing editing, DomainRef ref, HardwarePanel.Loaded loaded, EditRunner runner) {
        setPadding(false);
        var drives = loaded.hardware().disks().stream().filter(Disk::isCdrom).toList();
        if (drives.isEmpty()) {
            add(new Span("No CD-ROM drive."));
        }
        for (var drive : drives) {
            add(driveRow(editing, ref, loaded.choices(), runner, drive));
        }
        var bus = DiskSection.busSelect(List.of("sata", "ide", "scsi", "usb"), "sata");
        var addDrive = new Button(
                "Add CD-ROM drive",
                event -> runner.run(new EditErrors().bind("bus", bus), () -> editing.addCdrom(ref, bus.getValue())));
        var row = new HorizontalLayout(bus, addDrive);
        row.setAlignItems(Alignment.BASELINE);
        add(row);
    }

    private static HorizontalLayout driveRow(
            VmEditing editing, DomainRef ref, EditChoices choices, EditRunner runner, Disk drive) {
        var medium = new Span(
                drive.target() + " (" + drive.bus() + "): " + (drive.source().isEmpty() ? "empty" : drive.source()));
        medium.setId("hw-cdrom-" + drive.target());
        var pools =
                choices.pools().stream().filter(pool -> !pool.media().isEmpty()).toList();
        var pool = new Select<String>();
        pool.setLabel("Storage pool");
        pool.setItems(pools.stream().map(EditChoices.Pool::name).toList());
        var image = new Select<String>();
        image.setLabel("Disc image");
        image.setId("hw-cdrom-image-" + drive.target());
        pool.addValueChangeListener(event -> image.setItems(choices.pool(event.getValue())
                .map(p -> p.media().stream().map(EditChoices.Volume::name).toList())
                .orElse(List.of())));
        if (pools.isEmpty()) {
            pool.setHelperText("No pool holds a disc image (.iso).");
        } else {
            pool.setValue(pools.getFirst().name());
        }
        var errors = new EditErrors().bind("pool", pool).bind("volume", image).bind("target", image);
        var insert = new Button(
                "Insert",
                event -> runner.run(
                        errors, () -> editing.insertMedia(ref, drive.target(), pool.getValue(), image.getValue())));
        insert.setId("hw-cdrom-insert-" + drive.target());
        var eject = new Button(
                "Eject", event -> runner.run(new EditErrors(), () -> editing.ejectMedia(ref, drive.target())));
        eject.setId("hw-cdrom-eject-" + drive.target());
        eject.setEnabled(!drive.source().isEmpty());
        var row = new HorizontalLayout(medium, pool, image, insert, eject);
        row.setAlignItems(Alignment.BASELINE);
        row.setWrap(true);
        return row;
    }
}
