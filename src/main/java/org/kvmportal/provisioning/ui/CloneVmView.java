package org.kvmportal.provisioning.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import java.util.UUID;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.provisioning.CloneRequest;
import org.kvmportal.provisioning.ProvisioningService;
import org.kvmportal.vm.VmService;

/** Clones a stopped VM: new name, UUID and MACs; its disks copied in full, or linked on request. */
@Route("vms/:host/:uuid/clone")
@PageTitle("Clone a virtual machine | KVM Portal")
@PermitAll
class CloneVmView extends VerticalLayout implements BeforeEnterObserver {

    private final ProvisioningService provisioning;
    private final VmService vms;
    private final UUID uuid = UUID.randomUUID();
    private final H2 title = new H2();
    private final TextField name = new TextField("Name of the clone");
    private final TextArea description = new TextArea("Description");
    private final Checkbox linked = new Checkbox(
            "Link the disks instead of copying them (fast and small, but the original must then never change)");
    private final Pre xml = new Pre();
    private final Refusals refusals = new Refusals();
    private DomainRef source;

    CloneVmView(ProvisioningService provisioning, VmService vms) {
        this.provisioning = provisioning;
        this.vms = vms;
        name.setId("clone-name");
        name.setMaxLength(50);
        description.setId("clone-description");
        xml.addClassName("xml");
        xml.setId("clone-xml");
        refusals.bind("name", name, () -> {}).bind("description", description, () -> {});
        var previewButton = new Button("Preview XML", event -> preview());
        var cloneButton = new Button("Clone", event -> cloneIt(event.getSource()));
        cloneButton.setId("clone-create");
        cloneButton.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        cloneButton.setDisableOnClick(true);
        var form = new FormLayout(name, description, linked);
        form.setColspan(description, 2);
        form.setColspan(linked, 2);
        add(title, form, new HorizontalLayout(previewButton, cloneButton), xml);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        var vm = VmRouteParameters.of(event).flatMap(vms::find).orElse(null);
        if (vm == null || !provisioning.mayClone(vm.ref())) {
            // Also for running VMs and VMs the user may not manage: the details page offers the button only then.
            event.rerouteToError(NotFoundException.class, "No such virtual machine to clone.");
            return;
        }
        source = vm.ref();
        title.setText("Clone " + vm.name());
        name.setValue(vm.name() + "-clone");
    }

    private CloneRequest request() {
        return new CloneRequest(uuid, source, name.getValue(), description.getValue(), linked.getValue());
    }

    private void preview() {
        refusals.clear();
        var ui = getUI().orElseThrow();
        provisioning
                .previewClone(request())
                .whenComplete((text, error) -> ui.access(() -> {
                    xml.setText(error == null ? text : VmService.messageOf(error));
                    if (error != null) {
                        refusals.show(error);
                    }
                }));
    }

    private void cloneIt(Button button) {
        refusals.clear();
        var ui = getUI().orElseThrow();
        provisioning
                .cloneVm(request())
                .whenComplete((created, error) -> ui.access(() -> {
                    if (error != null) {
                        button.setEnabled(true);
                        refusals.show(error);
                    } else {
                        ui.navigate(VmPaths.details(created.ref()));
                    }
                }));
    }
}
