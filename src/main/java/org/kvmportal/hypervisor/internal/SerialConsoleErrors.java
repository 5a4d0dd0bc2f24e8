package org.kvmportal.hypervisor.internal;

import java.util.Locale;
import org.kvmportal.hypervisor.HypervisorException;
import org.libvirt.Error.ErrorNumber;

/** The messages a person reads when the console cannot open or ends. */
final class SerialConsoleErrors {

    private SerialConsoleErrors() {}

    static HypervisorException openFailed(String action, org.libvirt.Error error) {
        String message = LibvirtErrors.detail(error).toLowerCase(Locale.ROOT);
        var code = error == null ? null : error.getCode();
        String reason;
        if (message.contains("active console session exists")) {
            reason = "it is already in use by another session (another browser tab, or virsh console);"
                    + " close that session first";
        } else if (code == ErrorNumber.VIR_ERR_OPERATION_INVALID) {
            reason = "the virtual machine is not running";
        } else if (message.contains("cannot find character device")) {
            reason = "the virtual machine has no serial console";
        } else if (message.contains("not using a pty")) {
            reason = "its serial console is not of a kind the host can share (it must be a pty)";
        } else if (code == ErrorNumber.VIR_ERR_NO_SUPPORT || code == ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED) {
            reason = "the host's hypervisor driver does not support serial consoles";
        } else {
            return LibvirtErrors.translate(action, error, new IllegalStateException("libvirt: " + error));
        }
        return new HypervisorException(
                "Could not " + action + ": " + reason + ".", new IllegalStateException("libvirt: " + error));
    }

    /**
     * Why a console ended with a stream error.
     *
     * @param connectionAlive whether the host connection is still open: a lost one fails its streams too
     */
    static String ended(org.libvirt.Error error, boolean connectionAlive) {
        String detail = LibvirtErrors.detail(error);
        if (!connectionAlive) {
            return "The serial console closed: host connection lost (" + detail + ").";
        }
        if (detail.contains("I/O failure")) {
            // What the daemon reports when another client opens the console with --force and so aborts ours.
            return "The serial console closed: another session took it over, or it failed on the host (" + detail
                    + ").";
        }
        return "The serial console closed: " + detail + ".";
    }
}
