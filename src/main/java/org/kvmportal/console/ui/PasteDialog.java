package org.kvmportal.console.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.textfield.TextArea;
import java.util.function.Consumer;

/**
 * Text to type into the guest as keystrokes, for when there is no shared clipboard (a text console, an
 * installer). Long texts take a while at a guest's typing pace, so more than {@value #CONFIRM_ABOVE}
 * characters are confirmed first.
 */
final class PasteDialog extends Dialog {

    static final int CONFIRM_ABOVE = 1_000;
    static final int MAX_LENGTH = 20_000;

    PasteDialog(Consumer<String> typer) {
        setHeaderTitle("Type text into the virtual machine");
        var text = new TextArea("Text");
        text.setId("paste-text-input");
        text.setWidth("32em");
        text.setHeight("12em");
        text.setMaxLength(MAX_LENGTH);
        text.setHelperText("Typed as keystrokes on a US keyboard layout, about 100 characters a second.");
        var type = new Button("Type it", click -> {
            String value = text.getValue();
            if (value.isEmpty()) {
                return;
            }
            if (value.length() <= CONFIRM_ABOVE) {
                close();
                typer.accept(value);
                return;
            }
            var confirm = new ConfirmDialog(
                    "Type " + value.length() + " characters?",
                    "This takes about " + Math.round(value.length() / 100.0)
                            + " seconds; keep the console open until it is done.",
                    "Type it",
                    confirmed -> {
                        close();
                        typer.accept(value);
                    });
            confirm.setCancelable(true);
            confirm.setId("confirm-paste");
            confirm.open();
        });
        type.setId("paste-text-type");
        type.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        add(text);
        getFooter().add(new Button("Cancel", click -> close()), type);
        addOpenedChangeListener(opened -> text.focus());
    }
}
