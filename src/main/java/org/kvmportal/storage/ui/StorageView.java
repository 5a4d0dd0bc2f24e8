package org.kvmportal.storage.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridSingleSelectionModel;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.kvmportal.hypervisor.StoragePoolSummary;
import org.kvmportal.hypervisor.StorageVolume;
import org.kvmportal.storage.Bytes;
import org.kvmportal.storage.StorageService;
import org.kvmportal.storage.VolumeOwner;

/** Storage pools of a host with their volumes; volume names and paths from libvirt are shown as text only. */
@Route("storage")
@PageTitle("Storage | KVM Portal")
@Menu(title = "Storage", order = 21, icon = "vaadin:database")
@RolesAllowed("ADMIN")
class StorageView extends VerticalLayout {

    private final StorageService storage;
    private final Select<String> host = new Select<>();
    private final Grid<StoragePoolSummary> pools = new Grid<>();
    private final Grid<StorageVolume> volumes = new Grid<>();
    private final H3 volumesTitle = new H3("Volumes");
    private final Button newVolume = new Button("New volume…");
    private final IsoUpload upload;
    private StoragePoolSummary selected;
    /** Who owns the listed volumes, read with them; a volume missing here is the admins'. */
    private Map<String, VolumeOwner> owners = Map.of();

    StorageView(StorageService storage) {
        this.storage = storage;
        this.upload = new IsoUpload(storage, this::loadPools);
        setSizeFull();
        host.setLabel("Host");
        host.setId("storage-host");
        host.setItems(storage.hosts());
        host.addValueChangeListener(event -> loadPools());
        poolColumns();
        volumeColumns();
        newVolume.setId("new-volume");
        newVolume.setEnabled(false);
        newVolume.addClickListener(
                event -> new VolumeDialog(storage, host.getValue(), selected.name(), this::loadVolumes).open());
        var header = new HorizontalLayout(new H2("Storage"), host);
        header.setAlignItems(FlexComponent.Alignment.BASELINE);
        var volumeHeader = new HorizontalLayout(volumesTitle, newVolume);
        volumeHeader.setAlignItems(FlexComponent.Alignment.BASELINE);
        add(header, pools, volumeHeader, volumes, new H3("Upload an ISO image"), upload);
        setFlexGrow(1, volumes);
        storage.hosts().stream().findFirst().ifPresent(host::setValue);
    }

    private void poolColumns() {
        pools.setId("pool-grid");
        pools.setAllRowsVisible(true);
        pools.addColumn(StoragePoolSummary::name).setHeader("Pool").setAutoWidth(true);
        pools.addColumn(StoragePoolSummary::type).setHeader("Type").setAutoWidth(true);
        pools.addColumn(pool -> pool.active() ? "active" : "inactive")
                .setHeader("State")
                .setAutoWidth(true);
        pools.addColumn(pool -> pool.active() ? Bytes.of(pool.capacityBytes()) : "—")
                .setHeader("Capacity")
                .setAutoWidth(true);
        pools.addColumn(pool -> pool.active() ? Bytes.of(pool.availableBytes()) : "—")
                .setHeader("Free")
                .setAutoWidth(true);
        pools.addColumn(pool -> pool.autostart() ? "on" : "off")
                .setHeader("Autostart")
                .setAutoWidth(true);
        pools.addColumn(StoragePoolSummary::path).setHeader("Path").setFlexGrow(1);
        pools.addComponentColumn(this::poolActions).setAutoWidth(true).setFlexGrow(0);
        // A second click on the chosen pool keeps it chosen: the volumes and the upload target stay.
        ((GridSingleSelectionModel<StoragePoolSummary>) pools.getSelectionModel()).setDeselectAllowed(false);
        pools.asSingleSelect().addValueChangeListener(event -> {
            selected = event.getValue();
            loadVolumes();
        });
    }

    private void volumeColumns() {
        volumes.setId("volume-grid");
        volumes.addColumn(StorageVolume::name).setHeader("Volume").setAutoWidth(true);
        volumes.addColumn(StorageVolume::format).setHeader("Format").setAutoWidth(true);
        volumes.addColumn(volume -> Bytes.of(volume.capacityBytes()))
                .setHeader("Capacity")
                .setAutoWidth(true);
        volumes.addColumn(volume -> Bytes.of(volume.allocationBytes()))
                .setHeader("On disk")
                .setAutoWidth(true);
        volumes.addColumn(volume -> volume.deletable() ? "—" : String.join("; ", volume.protections()))
                .setHeader("Used by")
                .setFlexGrow(1);
        volumes.addColumn(volume -> storage.describe(host.getValue(), owner(volume)))
                .setHeader("Belongs to")
                .setAutoWidth(true);
        volumes.addComponentColumn(this::published).setHeader("Self-service").setAutoWidth(true);
        volumes.addComponentColumn(this::volumeActions).setAutoWidth(true).setFlexGrow(0);
    }

    private Component poolActions(StoragePoolSummary pool) {
        String hostName = host.getValue();
        var toggle = new Button(pool.active() ? "Stop" : "Start", event -> {
            var call =
                    pool.active() ? storage.stopPool(hostName, pool.name()) : storage.startPool(hostName, pool.name());
            Outcome.when(UI.getCurrent(), call, done -> loadPools());
        });
        var refresh = new Button(
                "Refresh",
                event ->
                        Outcome.when(UI.getCurrent(), storage.refreshPool(hostName, pool.name()), done -> loadPools()));
        refresh.setEnabled(pool.active());
        toggle.addThemeVariants(ButtonVariant.LUMO_SMALL);
        refresh.addThemeVariants(ButtonVariant.LUMO_SMALL);
        return new HorizontalLayout(toggle, refresh);
    }

    private VolumeOwner owner(StorageVolume volume) {
        return owners.getOrDefault(volume.name(), VolumeOwner.ADMINS);
    }

    /** For the admins' disc images: whether everyone may insert it into the CD-ROM drives of VMs they manage. */
    private Component published(StorageVolume volume) {
        var owner = owner(volume);
        if (!owner.admins() || !volume.name().toLowerCase(Locale.ROOT).endsWith(".iso")) {
            return new Span();
        }
        var box = new Checkbox("Published", owner.published());
        box.setTooltipText("Users may insert it (read-only) into the CD-ROM drives of VMs they manage");
        box.addValueChangeListener(event -> {
            if (!event.isFromClient()) {
                return;
            }
            Outcome.when(
                    UI.getCurrent(),
                    storage.publish(host.getValue(), volume.pool(), volume.name(), event.getValue()),
                    done -> {
                        Outcome.show(
                                volume.name() + (event.getValue() ? " published" : " withdrawn") + " for self-service.",
                                false);
                        loadVolumes();
                    });
        });
        return box;
    }

    private Component volumeActions(StorageVolume volume) {
        var resize = new Button(
                "Resize…", event -> new ResizeDialog(storage, host.getValue(), volume, this::loadVolumes).open());
        var delete = new Button("Delete…", event -> confirmDelete(volume));
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_SMALL);
        resize.addThemeVariants(ButtonVariant.LUMO_SMALL);
        if (!volume.deletable()) {
            delete.setEnabled(false);
            delete.setTooltipText("Kept: " + String.join("; ", volume.protections()));
        }
        return new HorizontalLayout(resize, delete);
    }

    private void confirmDelete(StorageVolume volume) {
        var dialog = new Dialog();
        dialog.setHeaderTitle("Delete " + volume.name() + "?");
        dialog.add(new Paragraph("The file " + volume.path() + " (" + Bytes.of(volume.allocationBytes())
                + " on disk) is deleted for good."));
        var delete = new Button("Delete", event -> {
            dialog.close();
            Outcome.when(UI.getCurrent(), storage.deleteVolume(host.getValue(), volume.pool(), volume.name()), done -> {
                Outcome.show("Volume " + volume.name() + " deleted.", false);
                loadVolumes();
            });
        });
        delete.setId("confirm-delete-volume");
        delete.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_ERROR);
        dialog.getFooter().add(new Button("Cancel", event -> dialog.close()), delete);
        dialog.open();
    }

    private void loadPools() {
        String hostName = host.getValue();
        if (hostName == null) {
            return;
        }
        String keep = selected == null ? null : selected.name();
        Outcome.when(UI.getCurrent(), storage.pools(hostName), list -> {
            pools.setItems(list);
            list.stream()
                    .filter(pool -> pool.name().equals(keep))
                    .findFirst()
                    .or(() -> list.stream().filter(StoragePoolSummary::active).findFirst())
                    .ifPresentOrElse(pools::select, () -> {
                        selected = null;
                        loadVolumes();
                    });
        });
    }

    private void loadVolumes() {
        boolean usable = selected != null && selected.active();
        newVolume.setEnabled(usable);
        upload.target(usable ? host.getValue() : null, usable ? selected.name() : null);
        if (!usable) {
            volumesTitle.setText(selected == null ? "Volumes" : "Volumes of " + selected.name() + " (inactive)");
            volumes.setItems(List.of());
            return;
        }
        volumesTitle.setText("Volumes of " + selected.name());
        String pool = selected.name();
        owners = storage.owners(host.getValue(), pool);
        Outcome.when(UI.getCurrent(), storage.volumes(host.getValue(), pool), volumes::setItems);
    }
}
