package org.kvmportal.provisioning.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.kvmportal.hypervisor.Firmware;
import org.kvmportal.hypervisor.NetworkChoice;
import org.kvmportal.hypervisor.OsVariant;
import org.kvmportal.hypervisor.ProvisioningOptions;
import org.kvmportal.hypervisor.VmSource;
import org.kvmportal.provisioning.NewVmRequest;
import org.kvmportal.provisioning.ProvisioningService;
import org.kvmportal.provisioning.Template;

/**
 * The wizard's fields, in two steps (source, settings), and the request they make. Admins choose a host and
 * any source; everyone else picks one of the templates they are offered. Every choice of pool, volume or
 * network is one the server listed.
 */
final class NewVmFields {

    enum Kind {
        TEMPLATE("Clone a template"),
        ISO("Install from an ISO image"),
        DISK("Import an existing disk image");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** A volume as the host listed it, in the form "pool / volume". */
    record VolumeChoice(String pool, String volume) {
        @Override
        public String toString() {
            return pool + " / " + volume;
        }
    }

    private static final String NO_NETWORK = "No network";
    private static final String USER_MODE = "User-mode networking (NAT, no host setup)";
    private static final String BESIDE_TEMPLATE = "Beside the template's disks";

    private final ProvisioningService provisioning;
    private final boolean admin;

    final RadioButtonGroup<Kind> kind = new RadioButtonGroup<>("Start from");
    final Select<String> host = new Select<>();
    final Select<Template> template = new Select<>();
    final Select<VolumeChoice> iso = new Select<>();
    final Select<VolumeChoice> disk = new Select<>();
    final TextField name = new TextField("Name");
    final TextArea description = new TextArea("Description");
    final Select<OsVariant> osVariant = new Select<>();
    final IntegerField vcpus = new IntegerField("vCPUs");
    final IntegerField memory = new IntegerField("Memory (MiB)");
    final IntegerField diskSize = new IntegerField("Disk size (GiB)");
    final Select<String> pool = new Select<>();
    final Select<String> network = new Select<>();
    final RadioButtonGroup<Firmware> firmware = new RadioButtonGroup<>("Firmware");
    final Checkbox fullCopy = new Checkbox("Full copy (independent of the template; slower, uses more space)");
    final Checkbox startNow = new Checkbox("Start it once it is created");
    private final Paragraph hostNote = new Paragraph();

    NewVmFields(ProvisioningService provisioning) {
        this.provisioning = provisioning;
        this.admin = provisioning.mayUseEverySource();
        kind.setItems(admin ? List.of(Kind.values()) : List.of(Kind.TEMPLATE));
        kind.setItemLabelGenerator(k -> k.label);
        kind.setValue(Kind.TEMPLATE);
        host.setLabel("Host");
        template.setLabel("Template");
        template.setId("new-vm-template");
        template.setItemLabelGenerator(
                t -> t.vm().name() + (admin ? " (" + t.vm().ref().host() + ")" : ""));
        template.setItems(provisioning.templates());
        template.setEmptySelectionAllowed(false);
        iso.setLabel("Installer ISO");
        disk.setLabel("Disk image");
        name.setId("new-vm-name");
        name.setMaxLength(50);
        name.setHelperText("Letters, digits, dots, dashes and underscores; at most 50.");
        description.setId("new-vm-description");
        osVariant.setLabel("Operating system");
        osVariant.setItems(OsVariant.values());
        osVariant.setItemLabelGenerator(OsVariant::label);
        osVariant.setValue(OsVariant.LINUX);
        vcpus.setId("new-vm-vcpus");
        vcpus.setStepButtonsVisible(true);
        vcpus.setMin(1);
        vcpus.setValue(1);
        memory.setId("new-vm-memory");
        memory.setStep(256);
        memory.setValue(1024);
        diskSize.setValue(20);
        pool.setLabel("Storage pool for the new disk");
        network.setLabel("Network");
        firmware.setItems(Firmware.values());
        firmware.setItemLabelGenerator(Firmware::label);
        firmware.setValue(Firmware.BIOS);
        startNow.setId("new-vm-start");
        if (admin) {
            host.setItems(provisioning.hosts());
            provisioning.hosts().stream().findFirst().ifPresent(host::setValue);
        }
        kind.addValueChangeListener(event -> showKind());
        template.addValueChangeListener(event -> templateChosen(event.getValue()));
        if (!provisioning.templates().isEmpty()) {
            template.setValue(provisioning.templates().getFirst());
        }
        showKind();
    }

    FormLayout sourceStep() {
        var form = new FormLayout();
        if (admin) {
            form.add(kind, host);
        }
        form.add(template, iso, disk, hostNote);
        return form;
    }

    FormLayout settingsStep() {
        var form = new FormLayout(name, description, osVariant, vcpus, memory, diskSize, pool, network, firmware);
        form.add(fullCopy, startNow);
        form.setColspan(description, 2);
        return form;
    }

    /** Reads the host's pools, volumes, networks and firmware (admins), then fills the choices. */
    void loadOptions(UI ui) {
        if (!admin || host.getValue() == null) {
            return;
        }
        provisioning
                .options(host.getValue())
                .whenComplete((options, error) -> ui.access(() -> {
                    if (error != null) {
                        Refusals.notify(org.kvmportal.vm.VmService.messageOf(error));
                    } else {
                        fill(options);
                    }
                }));
    }

    void onHostChange(Runnable then) {
        host.addValueChangeListener(event -> then.run());
    }

    private void fill(ProvisioningOptions options) {
        var isos = new ArrayList<VolumeChoice>();
        var disks = new ArrayList<VolumeChoice>();
        for (var p : options.pools()) {
            for (var v : p.volumes()) {
                if (v.iso()) {
                    isos.add(new VolumeChoice(p.name(), v.name()));
                } else if (v.usedBy().isEmpty()) {
                    disks.add(new VolumeChoice(p.name(), v.name()));
                }
            }
        }
        iso.setItems(isos);
        disk.setItems(disks);
        var pools = new ArrayList<String>();
        pools.add(BESIDE_TEMPLATE);
        options.pools().forEach(p -> pools.add(p.name()));
        pool.setItems(pools);
        pool.setValue(
                options.pools().isEmpty()
                        ? BESIDE_TEMPLATE
                        : options.pools().getFirst().name());
        var networks = new ArrayList<String>(List.of(NO_NETWORK, USER_MODE));
        networks.addAll(options.networks());
        network.setItems(networks);
        network.setValue(
                options.networks().isEmpty() ? USER_MODE : options.networks().getFirst());
        firmware.setItemEnabledProvider(f -> f == Firmware.BIOS || options.uefiAvailable());
        firmware.setHelperText(options.uefiAvailable() ? null : options.uefiUnavailable());
        showKind();
    }

    private void templateChosen(Template chosen) {
        if (chosen == null) {
            return;
        }
        vcpus.setValue(chosen.vm().vcpus());
        memory.setValue((int) (chosen.vm().maxMemoryKiB() / 1024));
    }

    private void showKind() {
        var k = kind.getValue();
        boolean fromTemplate = k == Kind.TEMPLATE;
        template.setVisible(fromTemplate);
        iso.setVisible(k == Kind.ISO);
        disk.setVisible(k == Kind.DISK);
        host.setVisible(!fromTemplate);
        hostNote.setText(
                fromTemplate && template.isEmpty()
                        ? "There is no template you may create a virtual machine from."
                        : "");
        osVariant.setVisible(!fromTemplate);
        diskSize.setVisible(k == Kind.ISO);
        pool.setVisible(admin && k != Kind.DISK);
        network.setVisible(!fromTemplate);
        firmware.setVisible(!fromTemplate);
        fullCopy.setVisible(fromTemplate);
    }

    NewVmRequest request(UUID uuid) {
        var k = kind.getValue();
        VmSource source;
        String hostName;
        String poolName = pool.getValue();
        if (k == Kind.TEMPLATE) {
            var chosen = template.getValue();
            source = chosen == null
                    ? null
                    : new VmSource.CopyOf(chosen.vm().ref().uuid(), !fullCopy.getValue());
            hostName = chosen == null ? null : chosen.vm().ref().host();
            poolName = BESIDE_TEMPLATE.equals(poolName) ? null : poolName;
        } else {
            var volume = k == Kind.ISO ? iso.getValue() : disk.getValue();
            source = volume == null
                    ? null
                    : k == Kind.ISO
                            ? new VmSource.IsoInstall(volume.pool(), volume.volume())
                            : new VmSource.ExistingDisk(volume.pool(), volume.volume());
            hostName = host.getValue();
            poolName = BESIDE_TEMPLATE.equals(poolName) ? null : poolName;
        }
        return new NewVmRequest(
                uuid,
                hostName,
                name.getValue(),
                description.getValue(),
                source,
                osVariant.getValue(),
                vcpus.getValue() == null ? 0 : vcpus.getValue(),
                memory.getValue() == null ? 0 : memory.getValue(),
                diskSize.getValue() == null ? 0 : diskSize.getValue(),
                poolName,
                networkChoice(),
                firmware.getValue(),
                startNow.getValue());
    }

    private NetworkChoice networkChoice() {
        String value = network.getValue();
        if (value == null || NO_NETWORK.equals(value)) {
            return NetworkChoice.NONE;
        }
        return USER_MODE.equals(value) ? NetworkChoice.USER_MODE : new NetworkChoice.Libvirt(value);
    }
}
