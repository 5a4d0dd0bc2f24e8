package org.kvmportal.vm.ui;

import com.vaadin.flow.component.HasValidation;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kvmportal.vm.VmEditException;

/** Shows a refused VM edit at the fields the service blamed; what no field here owns goes to a notification. */
final class EditErrors {

    private final Map<String, HasValidation> fields = new LinkedHashMap<>();

    EditErrors bind(String field, HasValidation component) {
        fields.put(field, component);
        return this;
    }

    void clear() {
        fields.values().forEach(field -> field.setInvalid(false));
    }

    void show(VmEditException refusal) {
        var unbound = new StringBuilder();
        refusal.errors().forEach((name, message) -> {
            var field = fields.get(name);
            if (field == null) {
                unbound.append(unbound.isEmpty() ? "" : " ").append(message);
            } else {
                field.setErrorMessage(message);
                field.setInvalid(true);
            }
        });
        if (!unbound.isEmpty()) {
            Notices.show(unbound.toString(), true);
        }
    }
}
