package org.kvmportal.base.ui;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kvmportal.base.Failures;
import org.kvmportal.base.InputRefusedException;

/**
 * Shows input a service refused at the form field it blamed (see {@link InputRefusedException}), by the
 * field names the service uses.
 */
public final class FieldErrors {

    private final Map<String, HasValidation> fields = new LinkedHashMap<>();

    public FieldErrors bind(String field, HasValidation component) {
        fields.put(field, component);
        return this;
    }

    public void clear() {
        fields.values().forEach(field -> field.setInvalid(false));
    }

    /**
     * Marks the field that {@code error} (or the cause a future wrapped it in) blames; false when it is not
     * a refusal of input, or blames no field of this form: then the caller shows it its own way.
     */
    public boolean markField(Throwable error) {
        if (Failures.causeOf(error) instanceof InputRefusedException refusal
                && fields.get(refusal.field()) instanceof HasValidation field) {
            field.setErrorMessage(refusal.getMessage());
            field.setInvalid(true);
            return true;
        }
        return false;
    }

    /** Marks the field that {@code error} blames, or shows it as a notification when it blames none here. */
    public void show(Throwable error) {
        if (!markField(error)) {
            Notification.show(Failures.messageOf(error), 6000, Notification.Position.MIDDLE)
                    .addThemeVariants(NotificationVariant.LUMO_ERROR);
        }
    }

    /** Runs {@code change}; true when it went through, false when its input was refused and that is shown. */
    public boolean attempt(Runnable change) {
        clear();
        try {
            change.run();
            return true;
        } catch (InputRefusedException refusal) {
            show(refusal);
            return false;
        }
    }
}
