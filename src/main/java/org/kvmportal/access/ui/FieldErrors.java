package org.kvmportal.access.ui;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kvmportal.access.AccessInputException;

/** Shows a refused change at the field the service blamed, or as a notification when it blamed none. */
final class FieldErrors {

    private final Map<String, HasValidation> fields = new LinkedHashMap<>();

    FieldErrors bind(String field, HasValidation component) {
        fields.put(field, component);
        return this;
    }

    void clear() {
        fields.values().forEach(field -> field.setInvalid(false));
    }

    void show(AccessInputException refusal) {
        var field = fields.get(refusal.field());
        if (field == null) {
            Notification.show(refusal.getMessage(), 6000, Notification.Position.MIDDLE)
                    .addThemeVariants(NotificationVariant.LUMO_ERROR);
            return;
        }
        field.setErrorMessage(refusal.getMessage());
        field.setInvalid(true);
    }

    /** Runs {@code change}; true when it went through, false when it was refused and the refusal is shown. */
    boolean attempt(Runnable change) {
        clear();
        try {
            change.run();
            return true;
        } catch (AccessInputException refusal) {
            show(refusal);
            return false;
        }
    }
}
