package org.kvmportal.vm.ui;

import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.data.renderer.LitRenderer;
import java.util.Optional;
import java.util.function.Function;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.vm.VmAction;

/**
 * A VM's state as a coloured badge; shows the action in progress instead while one runs. As a component
 * (one VM's page) or as a grid template (lists: no server-side component per row). Text only, never HTML:
 * states and names come from libvirt and may contain markup.
 */
final class StateBadge {

    /**
     * Lit sets these bindings as text and attribute values, never as markup. {@code data-vm} lets tests and
     * scripts find a VM's badge however the grid recycles its rows; {@code data-busy} is there only while an
     * action runs.
     */
    private static final String TEMPLATE = """
            ${item.busy ? html`<span theme="badge" data-state="${item.state}" data-vm="${item.name}" \
            data-busy="${item.busy}">${item.label}</span>` : html`<span theme="badge ${item.theme}" \
            data-state="${item.state}" data-vm="${item.name}">${item.label}</span>`}""";

    private StateBadge() {}

    static Span of(DomainSummary vm, Optional<VmAction> running) {
        var badge = new Span(label(vm, running));
        badge.getElement().getThemeList().add("badge");
        theme(vm, running).ifPresent(theme -> badge.getElement().getThemeList().add(theme));
        badge.getElement().setAttribute("data-state", vm.state().name());
        badge.getElement().setAttribute("data-vm", vm.name());
        running.ifPresent(action -> badge.getElement().setAttribute("data-busy", action.name()));
        return badge;
    }

    static LitRenderer<DomainSummary> renderer(Function<DomainSummary, Optional<VmAction>> running) {
        return LitRenderer.<DomainSummary>of(TEMPLATE)
                .withProperty("label", vm -> label(vm, running.apply(vm)))
                .withProperty("theme", vm -> theme(vm, running.apply(vm)).orElse(""))
                .withProperty("state", vm -> vm.state().name())
                .withProperty("name", DomainSummary::name)
                .withProperty(
                        "busy", vm -> running.apply(vm).map(VmAction::name).orElse(""));
    }

    private static String label(DomainSummary vm, Optional<VmAction> running) {
        return running.map(action -> action.label() + "…").orElse(vm.state().label());
    }

    private static Optional<String> theme(DomainSummary vm, Optional<VmAction> running) {
        if (running.isPresent()) {
            return Optional.empty();
        }
        return switch (vm.state()) {
            case RUNNING -> Optional.of("success");
            case CRASHED, UNKNOWN -> Optional.of("error");
            case SHUT_OFF -> Optional.of("contrast");
            default -> Optional.empty();
        };
    }
}
