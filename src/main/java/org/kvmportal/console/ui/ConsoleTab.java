package org.kvmportal.console.ui;

import com.vaadin.flow.component.Component;
import org.kvmportal.console.ConsoleService;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.vm.VmPageTab;
import org.kvmportal.vm.VmRight;
import org.kvmportal.vm.VmService;

/** The VM's screen on its own page, in a tab, for those who may watch it: no page to go to first. */
@org.springframework.stereotype.Component
class ConsoleTab implements VmPageTab {

    private final ConsoleService consoles;
    private final VmService vms;

    ConsoleTab(ConsoleService consoles, VmService vms) {
        this.consoles = consoles;
        this.vms = vms;
    }

    @Override
    public String label() {
        return "Console";
    }

    /**
     * From the rights the VM's page has read already (a second old at most): offering the tab needs no
     * database read of its own; the ticket, when the tab is opened, checks again.
     */
    @Override
    public boolean offeredFor(DomainSummary vm) {
        return vms.rights(vm.ref()).contains(VmRight.WATCH_CONSOLE);
    }

    @Override
    public Component open(DomainSummary vm) {
        return new EmbeddedScreen(consoles, vm);
    }
}
