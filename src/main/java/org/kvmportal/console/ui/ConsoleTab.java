package org.kvmportal.console.ui;

import com.vaadin.flow.component.Component;
import org.kvmportal.console.ConsoleService;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.vm.ConsoleAccess;
import org.kvmportal.vm.VmPageTab;
import org.springframework.core.annotation.Order;

/** The VM's screen on its own page, in a tab, for those who may watch it: no page to go to first. */
@org.springframework.stereotype.Component
@Order(0)
class ConsoleTab implements VmPageTab {

    private final ConsoleService consoles;

    ConsoleTab(ConsoleService consoles) {
        this.consoles = consoles;
    }

    @Override
    public String label() {
        return "Console";
    }

    @Override
    public boolean offeredFor(DomainSummary vm) {
        return consoles.access(vm.ref()) != ConsoleAccess.NONE;
    }

    @Override
    public Component open(DomainSummary vm) {
        return new EmbeddedScreen(consoles, vm);
    }
}
