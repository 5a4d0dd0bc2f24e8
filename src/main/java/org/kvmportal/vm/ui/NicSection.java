package org.kvmportal.vm.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import java.util.ArrayList;
import java.util.List;
import org.kvmportal.hypervisor.DomainHardware.Nic;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.vm.VmEditing;

/** The VM's network interfaces: add one, change its network, model or MAC, remove it. */
final class NicSection extends VerticalLayout {

    /** The network choice that means user-mode networking (no libvirt network). */
    private static final String USER_MODE = "";

    private static final List<String> MODELS = List.of("virtio", "e1000", "e1000e", "rtl8139");

    private final VmEditing editing;
    private final DomainRef ref;
    private final EditRunner runner;
    private final List<String> networks;

    NicSection(VmEditing editing, DomainRef ref, HardwarePanel.Loaded loaded, EditRunner runner) {
        this.editing = editing;
        this.ref = ref;
        this.runner = runner;
        this.networks = new ArrayList<>(List.of(USER_MODE));
        networks.addAll(loaded.choices().networks());
        setPadding(false);
        var grid = new Grid<Nic>();
        grid.setId("hw-nics");
        grid.addColumn(Nic::mac).setHeader("MAC").setAutoWidth(true);
        grid.addColumn(nic -> nic.source().isEmpty() ? nic.type() : nic.type() + " " + nic.source())
                .setHeader("Connected to");
        grid.addColumn(Nic::model).setHeader("Model").setAutoWidth(true);
        grid.addComponentColumn(nic -> new HorizontalLayout(
                        new Button("Change…", event -> change(nic)),
                        Notices.removeButton(
                                () -> runner.run(new EditErrors(), () -> editing.removeNic(ref, nic.mac())))))
                .setAutoWidth(true)
                .setFlexGrow(0);
        grid.setItems(loaded.hardware().nics());
        grid.setAllRowsVisible(true);
        var network = networkSelect(networks.size() > 1 ? networks.get(1) : USER_MODE);
        var model = modelSelect("virtio");
        var mac = macField("");
        var errors =
                new EditErrors().bind("network", network).bind("model", model).bind("mac", mac);
        var add = new Button(
                "Add network interface",
                event -> runner.run(
                        errors, () -> editing.addNic(ref, network.getValue(), model.getValue(), mac.getValue())));
        add.setId("hw-nic-add");
        var form = new HorizontalLayout(network, model, mac, add);
        form.setAlignItems(Alignment.BASELINE);
        form.setWrap(true);
        add(grid, form);
    }

    private void change(Nic nic) {
        var dialog = new Dialog();
        dialog.setHeaderTitle("Network interface " + nic.mac());
        var network = networkSelect(nic.type().equals("network") ? nic.source() : USER_MODE);
        var model = modelSelect(nic.model());
        var mac = macField(nic.mac());
        var errors =
                new EditErrors().bind("network", network).bind("model", model).bind("mac", mac);
        var save = new Button(
                "Save",
                event -> runner.run(
                        errors,
                        () -> editing.changeNic(ref, nic.mac(), network.getValue(), model.getValue(), mac.getValue()),
                        dialog::close));
        dialog.add(new VerticalLayout(network, model, mac));
        dialog.getFooter().add(new Button("Cancel", event -> dialog.close()), save);
        dialog.open();
    }

    private Select<String> networkSelect(String value) {
        var select = new Select<String>();
        select.setLabel("Network");
        select.setItems(networks);
        select.setItemLabelGenerator(name -> name.isEmpty() ? "User-mode (no libvirt network)" : name);
        select.setValue(networks.contains(value) ? value : USER_MODE);
        return select;
    }

    private static Select<String> modelSelect(String value) {
        var select = new Select<String>();
        select.setLabel("Model");
        select.setItems(MODELS);
        select.setValue(MODELS.contains(value) ? value : "virtio");
        return select;
    }

    private static TextField macField(String value) {
        var field = new TextField("MAC address");
        field.setPlaceholder("chosen for you");
        field.setValue(value);
        return field;
    }
}
