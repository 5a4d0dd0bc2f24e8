package org.kvmportal.hypervisor.internal;

import org.kvmportal.hypervisor.HypervisorException;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.jna.Libvirt;

/** Turns libvirt's errors into messages a person understands; libvirt's own text stays in the cause. */
final class LibvirtErrors {

    private LibvirtErrors() {}

    /**
     * @param action what was being done, as a phrase completing "Could not ..." (e.g. "start demo-alpha")
     */
    static HypervisorException translate(String action, LibvirtException e) {
        return translate(action, e.getError(), e);
    }

    /** The domain is gone: undefined (or, if transient, stopped) since it was looked up. */
    static boolean isNoDomain(LibvirtException e) {
        return e.getError() != null && e.getError().getCode() == ErrorNumber.VIR_ERR_NO_DOMAIN;
    }

    /**
     * For our own JNA calls ({@link LibvirtNative}), which report failure through libvirt's per-thread last
     * error instead of a {@link LibvirtException}: call on the thread that made the failed call, right after it.
     */
    static HypervisorException translateLast(String action) {
        var error = lastError();
        return translate(action, error, new IllegalStateException("libvirt: " + error));
    }

    /** libvirt's last error on this thread, or null when there is none. */
    static org.libvirt.Error lastError() {
        var raw = Libvirt.INSTANCE.virGetLastError();
        return raw == null ? null : new org.libvirt.Error(raw);
    }

    static HypervisorException translate(String action, org.libvirt.Error error, Throwable cause) {
        var code = error == null ? null : error.getCode();
        String reason = code == null ? "libvirt reported an unknown error" : reason(code, error);
        return new HypervisorException("Could not " + action + ": " + reason + ".", cause);
    }

    private static String reason(ErrorNumber code, org.libvirt.Error error) {
        return switch (code) {
            case VIR_ERR_NO_DOMAIN -> "the virtual machine no longer exists";
            case VIR_ERR_OPERATION_INVALID -> "the virtual machine is not in a state that allows this";
            case VIR_ERR_OPERATION_DENIED, VIR_ERR_AUTH_FAILED, VIR_ERR_AUTH_CANCELLED, VIR_ERR_ACCESS_DENIED ->
                "permission denied by the host";
            case VIR_ERR_NO_SUPPORT, VIR_ERR_ARGUMENT_UNSUPPORTED -> "the host's hypervisor does not support this";
            case VIR_ERR_NO_CONNECT, VIR_ERR_INVALID_CONN, VIR_ERR_SYSTEM_ERROR, VIR_ERR_RPC ->
                "the host cannot be reached (" + detail(error) + ")";
            case VIR_ERR_OPERATION_TIMEOUT, VIR_ERR_AGENT_UNRESPONSIVE -> "the host or guest did not answer in time";
            case VIR_ERR_OPERATION_FAILED, VIR_ERR_INTERNAL_ERROR -> "the hypervisor failed (" + detail(error) + ")";
            case VIR_ERR_XML_ERROR, VIR_ERR_XML_DETAIL, VIR_ERR_CONFIG_UNSUPPORTED ->
                "the definition was refused (" + detail(error) + ")";
            case VIR_ERR_OPERATION_ABORTED -> "the operation was cancelled";
            default -> detail(error);
        };
    }

    static String detail(org.libvirt.Error error) {
        String message = error == null ? null : error.getMessage();
        return message == null || message.isBlank() ? "no details given" : message.strip();
    }
}
