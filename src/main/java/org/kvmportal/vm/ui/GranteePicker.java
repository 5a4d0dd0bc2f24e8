package org.kvmportal.vm.ui;

import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.select.Select;
import org.kvmportal.vm.Grantee;
import org.kvmportal.vm.VmAccessLevel;
import org.kvmportal.vm.VmAssignments;

/** Chooses who gets access (a user or a group) and at which level. */
final class GranteePicker extends HorizontalLayout {

    private enum Kind {
        USER,
        GROUP
    }

    private final Select<Kind> kind = new Select<>();
    private final ComboBox<String> name = new ComboBox<>("Name");
    private final Select<VmAccessLevel> level = new Select<>();
    private final VmAssignments assignments;

    GranteePicker(VmAssignments assignments) {
        this.assignments = assignments;
        kind.setLabel("Assign to");
        kind.setItems(Kind.values());
        kind.setItemLabelGenerator(k -> k == Kind.USER ? "User" : "Group");
        kind.setValue(Kind.USER);
        kind.setId("grantee-kind");
        kind.addValueChangeListener(event -> loadNames());
        name.setId("grantee-name");
        name.setAllowCustomValue(false);
        level.setLabel("Level");
        level.setItems(VmAccessLevel.values());
        level.setItemLabelGenerator(VmAccessLevel::label);
        level.setValue(VmAccessLevel.CONSOLE);
        level.setId("grantee-level");
        setAlignItems(Alignment.BASELINE);
        add(kind, name, level);
        loadNames();
    }

    /** The chosen user or group; null when none is chosen (the service then says so). */
    Grantee grantee() {
        String chosen = name.getValue();
        if (chosen == null) {
            return null;
        }
        return kind.getValue() == Kind.GROUP ? new Grantee.Group(chosen) : new Grantee.User(chosen);
    }

    VmAccessLevel level() {
        return level.getValue();
    }

    private void loadNames() {
        name.clear();
        name.setItems(kind.getValue() == Kind.GROUP ? assignments.groupNames() : assignments.usernames());
    }
}
