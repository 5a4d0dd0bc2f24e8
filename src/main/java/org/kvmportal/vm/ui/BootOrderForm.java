package org.kvmportal.vm.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.vm.VmEditing;

/** The devices the VM boots from, in order: tick the ones to try, move them up or down. */
final class BootOrderForm extends VerticalLayout {

    private final Map<String, String> labels = new LinkedHashMap<>();
    private final List<String> order = new ArrayList<>();
    private final Set<String> chosen = new HashSet<>();
    private final Div rows = new Div();

    BootOrderForm(VmEditing editing, DomainRef ref, HardwarePanel.Loaded loaded, EditRunner runner) {
        setPadding(false);
        var hardware = loaded.hardware();
        hardware.disks().forEach(disk -> labels.put(disk.target(), disk.target() + " (" + disk.device() + ")"));
        hardware.nics().forEach(nic -> labels.put(nic.mac(), "network " + nic.mac()));
        order.addAll(hardware.bootOrder().stream().filter(labels::containsKey).toList());
        chosen.addAll(order);
        labels.keySet().stream().filter(key -> !order.contains(key)).forEach(order::add);
        rows.setId("hw-boot-order");
        showRows();
        var field = new com.vaadin.flow.component.textfield.TextField();
        field.setVisible(false); // carries the service's message for the list as a whole
        var errors = new EditErrors().bind("bootOrder", field);
        var save = new Button(
                "Save boot order",
                event -> runner.run(
                        errors,
                        () -> editing.setBootOrder(
                                ref, order.stream().filter(chosen::contains).toList())));
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        add(rows, field, save);
    }

    private void showRows() {
        rows.removeAll();
        for (int i = 0; i < order.size(); i++) {
            String key = order.get(i);
            int index = i;
            var boots = new Checkbox(labels.get(key), chosen.contains(key), event -> {
                if (event.getValue()) {
                    chosen.add(key);
                } else {
                    chosen.remove(key);
                }
            });
            var up = new Button("↑", event -> move(index, -1));
            up.setEnabled(i > 0);
            up.setAriaLabel("Move " + key + " up");
            var down = new Button("↓", event -> move(index, 1));
            down.setEnabled(i < order.size() - 1);
            down.setAriaLabel("Move " + key + " down");
            up.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
            down.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
            var row = new HorizontalLayout(boots, up, down);
            row.setAlignItems(Alignment.CENTER);
            rows.add(row);
        }
    }

    private void move(int index, int by) {
        var key = order.remove(index);
        order.add(index + by, key);
        showRows();
    }
}
