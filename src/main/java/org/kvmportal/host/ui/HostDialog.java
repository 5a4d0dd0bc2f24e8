package org.kvmportal.host.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import java.util.concurrent.CompletableFuture;
import org.kvmportal.base.Failures;
import org.kvmportal.base.ui.FieldErrors;
import org.kvmportal.host.HostInputException;
import org.kvmportal.host.HostRow;
import org.kvmportal.host.HostService;
import org.kvmportal.hypervisor.HostFacts;

/**
 * Adds a host or changes one. Saving first connects to the host; when that fails the dialog says why and
 * offers "Save anyway" (for a host that is down for maintenance, say) instead of saving silently.
 */
final class HostDialog extends Dialog {

    /** Saves the input; {@code evenIfUnreachable} skips the connection check. */
    @FunctionalInterface
    interface Save {
        CompletableFuture<Void> apply(String name, String uri, boolean evenIfUnreachable);
    }

    private final HostService hosts;
    private final Save save;
    private final Runnable onSaved;
    private final TextField name = new TextField("Name");
    private final TextField uri = new TextField("libvirt URI");
    private final FieldErrors errors = new FieldErrors().bind("name", name).bind("uri", uri);
    private final Paragraph result = new Paragraph();
    private final Button saveAnyway = new Button("Save anyway", event -> submit(true));
    private final Button saveButton = new Button("Save", event -> submit(false));

    private HostDialog(String title, HostService hosts, Save save, Runnable onSaved) {
        this.hosts = hosts;
        this.save = save;
        this.onSaved = onSaved;
        setHeaderTitle(title);
        name.setId("host-name");
        name.setHelperText("How the portal shows this host, e.g. lab-1");
        uri.setId("host-uri");
        uri.setWidthFull();
        uri.setHelperText("e.g. qemu:///system, qemu+ssh://root@lab-1/system, qemu+tls://lab-1/system");
        result.setId("host-result");
        saveAnyway.setVisible(false);
        saveAnyway.addThemeVariants(ButtonVariant.LUMO_ERROR);
        saveButton.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        saveButton.setId("host-save");
        var test = new Button("Test connection", event -> test());
        test.setId("host-test");
        var content = new VerticalLayout(name, uri, result);
        content.setPadding(false);
        content.setWidth("32rem");
        add(content);
        getFooter().add(new Button("Cancel", event -> close()), test, saveAnyway, saveButton);
    }

    static HostDialog forNewHost(HostService hosts, Runnable onSaved) {
        return new HostDialog("Add host", hosts, hosts::add, onSaved);
    }

    static HostDialog forHost(HostService hosts, HostRow row, Runnable onSaved) {
        String current = row.status().name();
        var dialog = new HostDialog(
                "Change host " + current,
                hosts,
                (name, uri, force) -> hosts.change(current, name, uri, force),
                onSaved);
        dialog.name.setValue(current);
        dialog.uri.setValue(row.status().uri());
        return dialog;
    }

    private void test() {
        var ui = UI.getCurrent();
        result.setText("Connecting…");
        hosts.test(uri.getValue())
                .whenComplete((facts, error) -> ui.access(() -> {
                    if (error == null) {
                        result.setText("Connected: " + describe(facts) + ".");
                    } else {
                        showError(error);
                    }
                }));
    }

    private void submit(boolean evenIfUnreachable) {
        var ui = UI.getCurrent();
        errors.clear();
        result.setText(evenIfUnreachable ? "Saving…" : "Connecting before saving…");
        saveButton.setEnabled(false);
        save.apply(name.getValue(), uri.getValue(), evenIfUnreachable)
                .whenComplete((ok, error) -> ui.access(() -> {
                    saveButton.setEnabled(true);
                    if (error == null) {
                        close();
                        onSaved.run();
                        return;
                    }
                    showError(error);
                    // Only a failed connection may be overridden; bad input must be corrected.
                    saveAnyway.setVisible(!(Failures.causeOf(error) instanceof HostInputException));
                }));
    }

    private void showError(Throwable error) {
        result.setText(errors.markField(error) ? "" : Failures.causeOf(error).getMessage());
    }

    static String describe(HostFacts facts) {
        return facts.hostname() + ", " + facts.hypervisor() + ", libvirt " + facts.libvirt() + ", " + facts.cpus()
                + " CPUs";
    }
}
