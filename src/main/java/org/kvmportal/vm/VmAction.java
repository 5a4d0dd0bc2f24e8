package org.kvmportal.vm;

import static org.kvmportal.hypervisor.PowerState.BLOCKED;
import static org.kvmportal.hypervisor.PowerState.CRASHED;
import static org.kvmportal.hypervisor.PowerState.PAUSED;
import static org.kvmportal.hypervisor.PowerState.RUNNING;
import static org.kvmportal.hypervisor.PowerState.SHUTTING_DOWN;
import static org.kvmportal.hypervisor.PowerState.SHUT_OFF;
import static org.kvmportal.hypervisor.PowerState.SUSPENDED;

import java.util.EnumSet;
import java.util.Set;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.PowerState;

/** What a person can do to a VM's power state, and in which states each makes sense. */
public enum VmAction {
    START("Start", "started", EnumSet.of(SHUT_OFF, CRASHED), false),
    RESTORE("Restore", "restored", EnumSet.of(SHUT_OFF), false),
    SHUTDOWN("Shut down", "asked to shut down", EnumSet.of(RUNNING, BLOCKED), false),
    REBOOT("Reboot", "asked to reboot", EnumSet.of(RUNNING, BLOCKED), false),
    FORCE_OFF("Force off", "forced off", EnumSet.of(RUNNING, BLOCKED, PAUSED, SHUTTING_DOWN, SUSPENDED, CRASHED), true),
    RESET("Reset", "reset", EnumSet.of(RUNNING, BLOCKED, PAUSED), true),
    PAUSE("Pause", "paused", EnumSet.of(RUNNING, BLOCKED), false),
    RESUME("Resume", "resumed", EnumSet.of(PAUSED), false),
    SAVE("Save to disk", "saved to disk", EnumSet.of(RUNNING, BLOCKED, PAUSED), false),
    REVERT(
            "Reset to clean state",
            "reset to its clean state",
            EnumSet.of(RUNNING, BLOCKED, PAUSED, SHUTTING_DOWN, SHUT_OFF, SUSPENDED, CRASHED),
            true),
    AUTOSTART_ON("Turn autostart on", "set to start with its host", EnumSet.allOf(PowerState.class), false),
    AUTOSTART_OFF("Turn autostart off", "set not to start with its host", EnumSet.allOf(PowerState.class), false);

    private final String label;
    private final String pastTense;
    private final Set<PowerState> validStates;
    private final boolean destructive;

    VmAction(String label, String pastTense, Set<PowerState> validStates, boolean destructive) {
        this.label = label;
        this.pastTense = pastTense;
        this.validStates = validStates;
        this.destructive = destructive;
    }

    public String label() {
        return label;
    }

    /** Completes "demo-alpha was ..." */
    public String pastTense() {
        return pastTense;
    }

    /** Destructive actions lose guest state (unsaved work): the UI asks before it runs them. */
    public boolean destructive() {
        return destructive;
    }

    /** Changes the VM's configuration rather than its power state. */
    public boolean changesConfiguration() {
        return this == AUTOSTART_ON || this == AUTOSTART_OFF;
    }

    /** What a person loses by a destructive action, said before it runs; null for the others. */
    public String warning() {
        if (this == REVERT) {
            return "The machine goes back to its clean state: everything changed on it since is lost.";
        }
        return destructive
                ? "The guest stops at once, as if its power were cut: unsaved work inside it is lost."
                : null;
    }

    /** Whether the action lets the guest write its disks, or rewrites them (refused for a template's). */
    public boolean writesDisks() {
        return this == START || this == RESTORE || this == REVERT;
    }

    /** The right a person needs for this action. */
    public VmRight requiredRight() {
        if (changesConfiguration()) {
            return VmRight.MANAGE;
        }
        return this == REVERT ? VmRight.REVERT : VmRight.OPERATE;
    }

    /** Whether the action makes sense for the VM as it is now. */
    public boolean appliesTo(DomainSummary vm) {
        if (vm.state() == PowerState.UNKNOWN || !validStates.contains(vm.state())) {
            return false;
        }
        return switch (this) {
            case START -> !vm.managedSave();
            case RESTORE -> vm.managedSave();
            case AUTOSTART_ON -> vm.persistent() && !vm.autostart();
            case AUTOSTART_OFF -> vm.persistent() && vm.autostart();
            default -> true;
        };
    }
}
