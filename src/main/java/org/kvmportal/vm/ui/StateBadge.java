package org.kvmportal.vm.ui;

import com.vaadin.flow.component.html.Span;
import java.util.Optional;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.vm.VmAction;

/** A VM's state as a coloured badge; shows the action in progress instead while one runs. */
final class StateBadge {

    private StateBadge() {}

    /** Text only, never HTML: states and names come from libvirt and may contain markup. */
    static Span of(DomainSummary vm, Optional<VmAction> running) {
        var badge = new Span(
                running.map(action -> action.label() + "…").orElse(vm.state().label()));
        var themes = badge.getElement().getThemeList();
        themes.add("badge");
        badge.getElement().setAttribute("data-state", vm.state().name());
        // Lets tests and scripts find a VM's badge however the grid recycles its rows.
        badge.getElement().setAttribute("data-vm", vm.name());
        running.ifPresentOrElse(action -> badge.getElement().setAttribute("data-busy", action.name()), () -> {
            switch (vm.state()) {
                case RUNNING -> themes.add("success");
                case CRASHED, UNKNOWN -> themes.add("error");
                case SHUT_OFF -> themes.add("contrast");
                default -> {}
            }
        });
        return badge;
    }
}
