package org.kvmportal.network.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.RolesAllowed;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.kvmportal.hypervisor.DhcpLease;
import org.kvmportal.hypervisor.VirtualNetwork;
import org.kvmportal.network.NetworkService;

/** The virtual networks of a host; names and addresses from libvirt are shown as text only. */
@Route("networks")
@PageTitle("Networks | KVM Portal")
@Menu(title = "Networks", order = 22, icon = "vaadin:connect")
@RolesAllowed("ADMIN")
class NetworksView extends VerticalLayout {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private final NetworkService networks;
    private final Select<String> host = new Select<>();
    private final Grid<VirtualNetwork> grid = new Grid<>();

    NetworksView(NetworkService networks) {
        this.networks = networks;
        setSizeFull();
        host.setLabel("Host");
        host.setId("network-host");
        host.setItems(networks.hosts());
        host.addValueChangeListener(event -> load());
        grid.setId("network-grid");
        grid.addColumn(VirtualNetwork::name).setHeader("Network").setAutoWidth(true);
        grid.addColumn(network -> network.active() ? "active" : "inactive")
                .setHeader("State")
                .setAutoWidth(true);
        grid.addColumn(network -> network.autostart() ? "on" : "off")
                .setHeader("Autostart")
                .setAutoWidth(true);
        grid.addColumn(network -> network.forwardMode().isEmpty() ? "isolated" : network.forwardMode())
                .setHeader("Mode")
                .setAutoWidth(true);
        grid.addColumn(VirtualNetwork::bridge).setHeader("Bridge").setAutoWidth(true);
        grid.addColumn(VirtualNetwork::address).setHeader("Address").setAutoWidth(true);
        grid.addColumn(network -> network.dhcpStart().isEmpty() ? "—" : network.dhcpStart() + " – " + network.dhcpEnd())
                .setHeader("DHCP range")
                .setFlexGrow(1);
        grid.addComponentColumn(this::actions).setAutoWidth(true).setFlexGrow(0);
        var define = new Button("New NAT network…", event -> {
            if (host.getValue() != null) {
                new NatNetworkDialog(networks, host.getValue(), this::load).open();
            }
        });
        define.setId("new-network");
        var header = new HorizontalLayout(new H2("Networks"), host, define);
        header.setAlignItems(FlexComponent.Alignment.BASELINE);
        add(header, grid);
        setFlexGrow(1, grid);
        networks.hosts().stream().findFirst().ifPresent(host::setValue);
    }

    private Component actions(VirtualNetwork network) {
        String hostName = host.getValue();
        var toggle = new Button(
                network.active() ? "Stop" : "Start",
                event -> Views.when(
                        UI.getCurrent(),
                        network.active()
                                ? networks.stop(hostName, network.name())
                                : networks.start(hostName, network.name()),
                        done -> load()));
        var autostart = new Button(
                network.autostart() ? "Autostart off" : "Autostart on",
                event -> Views.when(
                        UI.getCurrent(),
                        networks.setAutostart(hostName, network.name(), !network.autostart()),
                        done -> load()));
        autostart.setEnabled(network.persistent());
        var leases = new Button("Leases…", event -> showLeases(network));
        leases.setEnabled(network.active() && !network.dhcpStart().isEmpty());
        for (var button : new Button[] {toggle, autostart, leases}) {
            button.addThemeVariants(ButtonVariant.LUMO_SMALL);
        }
        return new HorizontalLayout(toggle, autostart, leases);
    }

    private void showLeases(VirtualNetwork network) {
        var dialog = new Dialog();
        dialog.setHeaderTitle("DHCP leases of " + network.name());
        var leases = new Grid<DhcpLease>();
        leases.setId("lease-grid");
        leases.addColumn(DhcpLease::address).setHeader("Address").setAutoWidth(true);
        leases.addColumn(DhcpLease::mac).setHeader("MAC").setAutoWidth(true);
        leases.addColumn(DhcpLease::hostname).setHeader("Host name").setAutoWidth(true);
        leases.addColumn(lease -> TIME.format(lease.expires()))
                .setHeader("Expires")
                .setAutoWidth(true);
        leases.setWidth("48rem");
        dialog.add(leases);
        dialog.getFooter().add(new Button("Close", event -> dialog.close()));
        dialog.open();
        Views.when(UI.getCurrent(), networks.leases(host.getValue(), network.name()), leases::setItems);
    }

    private void load() {
        if (host.getValue() != null) {
            Views.when(UI.getCurrent(), networks.networks(host.getValue()), grid::setItems);
        }
    }
}
