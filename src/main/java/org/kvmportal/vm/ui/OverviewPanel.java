package org.kvmportal.vm.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.kvmportal.hypervisor.DomainDetails;

/** The VM's definition in words. Everything is set as text: names and descriptions may contain markup. */
final class OverviewPanel extends Div {

    OverviewPanel() {
        addClassName("overview");
        setId("overview");
        add(new Span("Loading…"));
    }

    void show(DomainDetails details) {
        removeAll();
        var vm = details.summary();
        var facts = new Div();
        facts.addClassName("facts");
        fact(facts, "State", vm.state().label());
        String uptime = Uptimes.of(vm, Instant.now());
        fact(facts, "Uptime", uptime.isEmpty() ? "not running" : uptime);
        fact(facts, "Host", vm.ref().host());
        fact(facts, "OS type", details.osType());
        fact(facts, "vCPUs", Integer.toString(vm.vcpus()));
        fact(facts, "Memory", Sizes.memory(vm.memoryKiB()) + " of at most " + Sizes.memory(vm.maxMemoryKiB()));
        fact(facts, "Autostart", vm.autostart() ? "on" : "off");
        fact(facts, "UUID", vm.ref().uuid().toString());
        fact(facts, "Description", details.description().isBlank() ? "—" : details.description());
        add(facts);
        section(
                "Disks",
                details.disks(),
                disk -> disk.target() + " · " + disk.device() + " on " + disk.bus() + " · "
                        + (disk.source().isEmpty() ? "no medium" : disk.source())
                        + (disk.capacityBytes() < 0 ? "" : " · " + Sizes.memory(disk.capacityBytes() / 1024)));
        section(
                "Network interfaces",
                details.nics(),
                nic -> nic.mac() + " · " + nic.type()
                        + (nic.source().isEmpty() ? "" : " " + nic.source())
                        + (nic.model().isEmpty() ? "" : " · " + nic.model())
                        + (nic.addresses().isEmpty() ? "" : " · " + String.join(", ", nic.addresses())));
        section(
                "Graphics",
                details.graphics(),
                graphics -> graphics.type()
                        + (graphics.listen().isEmpty() ? "" : " on " + graphics.listen())
                        + (graphics.port() < 0 ? "" : ":" + graphics.port()));
    }

    private static void fact(Div facts, String label, String value) {
        var term = new Span(label);
        term.addClassName("fact-label");
        var description = new Span(value);
        description.addClassName("fact-value");
        facts.add(term, description);
    }

    private <T> void section(String title, List<T> items, Function<T, String> line) {
        add(new H3(title));
        if (items.isEmpty()) {
            add(new Span("None"));
            return;
        }
        var list = new UnorderedList();
        items.forEach(item -> list.add(new ListItem(line.apply(item))));
        add((Component) list);
    }
}
