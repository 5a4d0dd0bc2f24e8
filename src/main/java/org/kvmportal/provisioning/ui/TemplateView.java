package org.kvmportal.provisioning.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.RolesAllowed;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.provisioning.ProvisioningService;
import org.kvmportal.vm.VmService;

/** Admins make a VM a template (optionally open for users' self-service), or an ordinary VM again. */
@Route("vms/:host/:uuid/template")
@PageTitle("Template | KVM Portal")
@RolesAllowed("ADMIN")
class TemplateView extends VerticalLayout implements BeforeEnterObserver {

    private final ProvisioningService provisioning;
    private final VmService vms;
    private final H2 title = new H2();
    private final Paragraph status = new Paragraph();
    private final Checkbox selfService = new Checkbox("Users may create their own VMs from it (within their quotas)");
    private final Button mark = new Button("Mark as template", event -> mark());
    private final Button unmark = new Button("No longer a template", event -> unmark());
    private DomainSummary vm;

    TemplateView(ProvisioningService provisioning, VmService vms) {
        this.provisioning = provisioning;
        this.vms = vms;
        status.setId("template-status");
        selfService.setId("template-self-service");
        mark.setId("template-mark");
        mark.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        unmark.addThemeVariants(ButtonVariant.LUMO_ERROR);
        add(
                title,
                status,
                new Paragraph("New VMs are linked clones of a template's disks by default: keep a template shut off"
                        + " and do not change its disks while VMs use them."),
                selfService,
                new HorizontalLayout(mark, unmark, new Button("Back to the VM", e -> back())));
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        vm = VmRouteParameters.of(event).flatMap(vms::find).orElse(null);
        if (vm == null) {
            event.rerouteToError(NotFoundException.class, "No such virtual machine.");
            return;
        }
        title.setText(vm.name() + " as a template");
        show();
    }

    private void show() {
        var template = provisioning.template(vm.ref());
        status.setText(
                template.isEmpty()
                        ? vm.name() + " is not a template."
                        : vm.name() + " is a template"
                                + (template.get().selfService() ? ", open for self-service." : ", for admins only."));
        selfService.setValue(template.map(t -> t.selfService()).orElse(false));
        mark.setText(template.isEmpty() ? "Mark as template" : "Save");
        unmark.setVisible(template.isPresent());
    }

    private void mark() {
        try {
            provisioning.markTemplate(vm.ref(), selfService.getValue());
            Notification.show("Saved.");
        } catch (RuntimeException e) {
            Refusals.notify(VmService.messageOf(e));
        }
        show();
    }

    private void unmark() {
        provisioning.unmarkTemplate(vm.ref());
        show();
    }

    private void back() {
        getUI().ifPresent(ui -> ui.navigate(VmPaths.details(vm.ref())));
    }
}
