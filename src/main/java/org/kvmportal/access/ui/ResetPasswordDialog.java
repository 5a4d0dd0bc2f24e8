package org.kvmportal.access.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.textfield.PasswordField;
import org.kvmportal.access.UserAdministration;
import org.kvmportal.base.ui.FieldErrors;

/** The admin sets a temporary password; the user is signed out and must replace it at the next sign-in. */
final class ResetPasswordDialog extends Dialog {

    ResetPasswordDialog(UserAdministration users, String username, Runnable onReset) {
        setHeaderTitle("Reset the password of " + username);
        var password = new PasswordField("Temporary password");
        password.setId("temporary-password");
        password.setHelperText(
                "At least 12 characters and at most 72 bytes. Tell it to the user another way than e-mail if you can.");
        password.setWidthFull();
        var errors = new FieldErrors().bind("password", password);
        add(
                new Paragraph(
                        username + " is signed out everywhere and must choose a new password at the next sign-in."),
                password);
        var reset = new Button("Reset password", event -> {
            if (errors.attempt(() -> users.resetPassword(username, password.getValue()))) {
                close();
                Notification.show("Password of " + username + " reset.");
                onReset.run();
            }
        });
        reset.setId("confirm-reset-password");
        reset.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(new Button("Cancel", event -> close()), reset);
        setWidth("28rem");
    }
}
