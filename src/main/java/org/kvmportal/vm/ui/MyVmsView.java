package org.kvmportal.vm.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import java.util.List;
import org.kvmportal.base.ui.LiveUpdates;
import org.kvmportal.vm.AssignedVm;
import org.kvmportal.vm.VmAction;
import org.kvmportal.vm.VmChanges;
import org.kvmportal.vm.VmRight;
import org.kvmportal.vm.VmService;
import org.kvmportal.vm.VmThumbnails;

/** The end user's page: a card per VM assigned to them, with its console and the actions their level allows. */
@Route("my-vms")
@PageTitle("My VMs | KVM Portal")
@Menu(title = "My VMs", order = -1, icon = "vaadin:laptop")
@PermitAll
class MyVmsView extends VerticalLayout {

    private static final List<VmAction> CARD_ACTIONS =
            List.of(VmAction.START, VmAction.SHUTDOWN, VmAction.REBOOT, VmAction.FORCE_OFF, VmAction.REVERT);

    private final VmService vms;
    private final VmThumbnails thumbnails;
    private final VmActionRunner runner;
    private final FlexLayout cards = new FlexLayout();
    private List<?> shown;

    MyVmsView(VmService vms, VmThumbnails thumbnails, VmChanges changes) {
        this.vms = vms;
        this.thumbnails = thumbnails;
        this.runner = new VmActionRunner(vms);
        ConsolePaths.preloadScreenConsole(this);
        cards.setId("my-vm-cards");
        cards.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        cards.addClassName("vm-cards");
        add(new H2("My VMs"), new QuotaSummary(vms.myQuotas(), vms.myVms()), cards);
        showCards();
        LiveUpdates.bind(this, changes::subscribe, this::showCards);
    }

    /** Rebuilds the cards only when one of the user's VMs changed: other VMs' events pass by. */
    private void showCards() {
        var mine = vms.myVms();
        var signature = mine.stream()
                .map(assigned ->
                        List.of(assigned, vms.runningAction(assigned.vm().ref())))
                .toList();
        if (signature.equals(shown)) {
            return;
        }
        shown = signature;
        cards.removeAll();
        if (mine.isEmpty()) {
            cards.add(new Paragraph("No virtual machines are assigned to you yet."));
        }
        mine.forEach(assigned -> cards.add(card(assigned)));
    }

    private Div card(AssignedVm assigned) {
        var vm = assigned.vm();
        var rights = vms.rights(vm.ref());
        var card = new Div();
        card.addClassName("vm-card");
        card.getElement().setAttribute("data-vm", vm.name());
        var title = new H3(vm.name());
        var header = new HorizontalLayout(title, StateBadge.of(vm, vms.runningAction(vm.ref())));
        header.setAlignItems(Alignment.BASELINE);
        var level = new Span("Your access: " + assigned.level().label());
        level.addClassName("vm-card-level");
        card.add(header, new VmThumbnail(thumbnails, vm), level);
        if (vm.state().isActive() && rights.contains(VmRight.WATCH_CONSOLE)) {
            var console = new Button("Console", event -> UI.getCurrent().navigate(ConsolePaths.of(vm.ref())));
            console.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_LARGE);
            console.addClassName("vm-card-console");
            card.add(console);
        }
        var actions = new HorizontalLayout();
        actions.addClassName("vm-card-actions");
        for (VmAction action : vms.offeredActions(vm)) {
            if (CARD_ACTIONS.contains(action)) {
                var button = new Button(action.label(), event -> runner.run(UI.getCurrent(), action, List.of(vm)));
                button.setDisableOnClick(true);
                actions.add(button);
            }
        }
        card.add(actions);
        return card;
    }
}
