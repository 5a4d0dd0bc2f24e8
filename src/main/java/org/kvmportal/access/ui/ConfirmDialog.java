package org.kvmportal.access.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;

/** Asks before something that cannot be undone. */
final class ConfirmDialog {

    private ConfirmDialog() {}

    static void open(String title, String text, String action, String actionId, Runnable confirmed) {
        var dialog = new Dialog();
        dialog.setHeaderTitle(title);
        dialog.add(new Paragraph(text));
        var confirm = new Button(action, event -> {
            dialog.close();
            confirmed.run();
        });
        confirm.setId(actionId);
        confirm.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_ERROR);
        dialog.getFooter().add(new Button("Cancel", event -> dialog.close()), confirm);
        dialog.open();
    }
}
