package org.kvmportal.network.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import org.kvmportal.base.Failures;
import org.kvmportal.base.ui.FieldErrors;
import org.kvmportal.network.NetworkService;

/** Defines a NAT network; the service's refusals land on the field they are about. */
final class NatNetworkDialog extends Dialog {

    private final TextField name = new TextField("Name");
    private final TextField address = new TextField("Host address / prefix");
    private final TextField dhcpStart = new TextField("DHCP range from");
    private final TextField dhcpEnd = new TextField("DHCP range to");
    private final FieldErrors errors = new FieldErrors()
            .bind("name", name)
            .bind("address", address)
            .bind("dhcpStart", dhcpStart)
            .bind("dhcpEnd", dhcpEnd);

    NatNetworkDialog(NetworkService networks, String host, Runnable onDefined) {
        setHeaderTitle("New NAT network on " + host);
        name.setId("network-name");
        address.setId("network-address");
        address.setHelperText("a private range, e.g. 192.168.150.1/24");
        dhcpStart.setId("network-dhcp-start");
        dhcpStart.setPlaceholder("192.168.150.100");
        dhcpEnd.setId("network-dhcp-end");
        dhcpEnd.setPlaceholder("192.168.150.200");
        var define = new Button("Define", event -> {
            var ui = UI.getCurrent();
            errors.clear();
            networks.defineNat(host, name.getValue(), address.getValue(), dhcpStart.getValue(), dhcpEnd.getValue())
                    .whenComplete((network, error) -> access(ui, () -> {
                        if (error == null) {
                            close();
                            Views.show("Network " + network.name() + " defined; start it to use it.", false);
                            onDefined.run();
                        } else if (!errors.markField(error)) {
                            Views.show(Failures.messageOf(error), true);
                        }
                    }));
        });
        define.setId("network-define");
        define.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        var content = new VerticalLayout(name, address, dhcpStart, dhcpEnd);
        content.setPadding(false);
        add(content);
        getFooter().add(new Button("Cancel", event -> close()), define);
    }

    private static void access(UI ui, Runnable task) {
        try {
            ui.access(task::run);
        } catch (UIDetachedException e) {
            // the page is gone; the change is in the audit log
        }
    }
}
