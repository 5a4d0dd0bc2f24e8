package org.kvmportal.provisioning.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.tabs.Tab;
import com.vaadin.flow.component.tabs.Tabs;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import java.util.List;
import java.util.UUID;
import org.kvmportal.provisioning.ProvisioningService;
import org.kvmportal.provisioning.QuotaUsage;
import org.kvmportal.vm.VmService;

/**
 * The create wizard: source, settings, then the domain XML it will define (read-only), then create and open
 * the new VM's page. The UUID is made once per wizard, so that the preview shows exactly what gets defined.
 */
@Route("vms/new")
@PageTitle("New virtual machine | KVM Portal")
@PermitAll
class NewVmView extends VerticalLayout {

    private final ProvisioningService provisioning;
    private final NewVmFields fields;
    private final UUID uuid = UUID.randomUUID();
    private final Tab sourceTab = new Tab("1. Source");
    private final Tab settingsTab = new Tab("2. Settings");
    private final Tab reviewTab = new Tab("3. Review");
    private final Tabs steps = new Tabs(sourceTab, settingsTab, reviewTab);
    private final FormLayout sourceStep;
    private final FormLayout settingsStep;
    private final Pre xml = new Pre();
    private final Div reviewStep = new Div(new Paragraph("The definition it will get:"), xml);
    private final Button back = new Button("Back", event -> move(-1));
    private final Button next = new Button("Next", event -> move(1));
    private final Button create = new Button("Create", event -> create());
    private final Refusals refusals = new Refusals();

    NewVmView(ProvisioningService provisioning) {
        this.provisioning = provisioning;
        this.fields = new NewVmFields(provisioning);
        sourceStep = fields.sourceStep();
        settingsStep = fields.settingsStep();
        steps.setId("new-vm-steps");
        xml.setId("new-vm-xml");
        xml.addClassName("xml");
        next.setId("new-vm-next");
        create.setId("new-vm-create");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        create.setDisableOnClick(true);
        next.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        bindRefusals();
        steps.addSelectedChangeListener(event -> showStep());
        add(new H2("New virtual machine"));
        if (!provisioning.mayUseEverySource()) {
            add(quota(provisioning.quotaUsage()));
        }
        add(steps, sourceStep, settingsStep, reviewStep, new HorizontalLayout(back, next, create));
        showStep();
    }

    @Override
    protected void onAttach(AttachEvent event) {
        var ui = event.getUI();
        fields.onHostChange(() -> fields.loadOptions(ui));
        fields.loadOptions(ui);
    }

    private void bindRefusals() {
        Runnable toSource = () -> steps.setSelectedTab(sourceTab);
        Runnable toSettings = () -> steps.setSelectedTab(settingsTab);
        refusals.bind("host", fields.host, toSource)
                .bind("template", fields.template, toSource)
                .bind(
                        "source",
                        () -> fields.kind.getValue() == NewVmFields.Kind.DISK
                                ? fields.disk
                                : fields.kind.getValue() == NewVmFields.Kind.ISO ? fields.iso : fields.template,
                        toSource)
                .bind("name", fields.name, toSettings)
                .bind("description", fields.description, toSettings)
                .bind("vcpus", fields.vcpus, toSettings)
                .bind("memory", fields.memory, toSettings)
                .bind("diskSize", fields.diskSize, toSettings)
                .bind("pool", fields.pool, toSettings)
                .bind("network", fields.network, toSettings)
                .bind("firmware", fields.firmware, toSettings);
    }

    private static Paragraph quota(QuotaUsage usage) {
        var limits = usage.quotas().stream()
                .filter(q -> !q.unlimited())
                .map(q -> (q.owner().startsWith("@") ? "group " + q.owner().substring(1) : "you") + ": "
                        + (q.vms() == null ? "any number of" : "up to " + q.vms()) + " VMs, "
                        + (q.vcpus() == null ? "any" : q.vcpus()) + " vCPUs, "
                        + (q.memoryMib() == null ? "any" : q.memoryMib() + " MiB") + " memory")
                .toList();
        var text = new Paragraph("You have " + usage.vms() + " VMs with " + usage.vcpus() + " vCPUs and "
                + usage.memoryMib() + " MiB of memory. Quota: "
                + (limits.isEmpty() ? "no limit." : String.join("; ", limits) + "."));
        text.setId("new-vm-quota");
        return text;
    }

    private void move(int by) {
        var tabs = List.of(sourceTab, settingsTab, reviewTab);
        int index = Math.clamp(tabs.indexOf(steps.getSelectedTab()) + by, 0, tabs.size() - 1);
        steps.setSelectedTab(tabs.get(index));
    }

    private void showStep() {
        var selected = steps.getSelectedTab();
        sourceStep.setVisible(selected == sourceTab);
        settingsStep.setVisible(selected == settingsTab);
        reviewStep.setVisible(selected == reviewTab);
        back.setEnabled(selected != sourceTab);
        next.setVisible(selected != reviewTab);
        create.setVisible(selected == reviewTab);
        if (selected == reviewTab) {
            preview();
        }
    }

    private void preview() {
        refusals.clear();
        xml.setText("Preparing…");
        create.setEnabled(false);
        var ui = getUI().orElseThrow();
        provisioning
                .preview(fields.request(uuid))
                .whenComplete((text, error) -> ui.access(() -> {
                    if (error == null) {
                        xml.setText(text);
                        create.setEnabled(true);
                    } else {
                        xml.setText(VmService.messageOf(error));
                        refusals.show(error);
                    }
                }));
    }

    private void create() {
        refusals.clear();
        var ui = getUI().orElseThrow();
        provisioning
                .create(fields.request(uuid))
                .whenComplete((created, error) -> ui.access(() -> {
                    if (error != null) {
                        create.setEnabled(true);
                        refusals.show(error);
                        return;
                    }
                    if (created.startError() != null) {
                        Refusals.notify(created.name() + " was created but did not start: " + created.startError());
                    }
                    ui.navigate(VmPaths.details(created.ref()));
                }));
    }
}
