package org.kvmportal.provisioning.ui;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.kvmportal.base.Failures;
import org.kvmportal.provisioning.ProvisioningInputException;

/**
 * Shows why the service refused: at the field it blamed (and on the step that holds it), or as a notification
 * when it blamed none or the host failed.
 */
final class Refusals {

    private final Map<String, java.util.function.Supplier<HasValidation>> fields = new LinkedHashMap<>();
    private final Map<String, Runnable> reveal = new LinkedHashMap<>();

    /** @param show brings the field into view (selects its wizard step) */
    Refusals bind(String field, HasValidation component, Runnable show) {
        return bind(field, () -> component, show);
    }

    /** For a field shown by whichever component is visible now (the ISO or the disk image choice). */
    Refusals bind(String field, java.util.function.Supplier<HasValidation> component, Runnable show) {
        fields.put(field, component);
        reveal.put(field, show);
        return this;
    }

    void clear() {
        fields.values().forEach(field -> field.get().setInvalid(false));
    }

    void show(Throwable error) {
        Throwable cause = Failures.causeOf(error);
        if (cause instanceof ProvisioningInputException refusal && fields.containsKey(refusal.field())) {
            reveal.get(refusal.field()).run();
            var field = fields.get(refusal.field()).get();
            field.setErrorMessage(refusal.getMessage());
            field.setInvalid(true);
            return;
        }
        notify(cause.getMessage() == null ? cause.toString() : cause.getMessage());
    }

    static void notify(String message) {
        var notification = Notification.show(message, 10_000, Notification.Position.MIDDLE);
        notification.addThemeVariants(NotificationVariant.LUMO_ERROR);
        notification.setId("provisioning-error");
    }

    /** A handler for a future's failure that shows it. */
    Consumer<Throwable> shower() {
        return this::show;
    }
}
