package org.kvmportal.hypervisor.internal;

import org.kvmportal.hypervisor.HypervisorException;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

/** Turns libvirt's errors into messages a person understands; libvirt's own text stays in the cause. */
final class LibvirtErrors {

    private LibvirtErrors() {}

    /**
     * @param action what was being done, as a phrase completing "Could not ..." (e.g. "start demo-alpha")
     */
    static HypervisorException translate(String action, LibvirtException e) {
        var error = e.getError();
        var code = error == null ? null : error.getCode();
        String reason = code == null ? "libvirt reported an unknown error" : reason(code, e);
        return new HypervisorException("Could not " + action + ": " + reason + ".", e);
    }

    /** The domain is gone: undefined (or, if transient, stopped) since it was looked up. */
    static boolean isNoDomain(LibvirtException e) {
        return e.getError() != null && e.getError().getCode() == ErrorNumber.VIR_ERR_NO_DOMAIN;
    }

    private static String reason(ErrorNumber code, LibvirtException e) {
        return switch (code) {
            case VIR_ERR_NO_DOMAIN -> "the virtual machine no longer exists";
            case VIR_ERR_OPERATION_INVALID -> "the virtual machine is not in a state that allows this";
            case VIR_ERR_OPERATION_DENIED, VIR_ERR_AUTH_FAILED, VIR_ERR_AUTH_CANCELLED, VIR_ERR_ACCESS_DENIED ->
                "permission denied by the host";
            case VIR_ERR_NO_SUPPORT, VIR_ERR_ARGUMENT_UNSUPPORTED -> "the host's hypervisor does not support this";
            case VIR_ERR_NO_CONNECT, VIR_ERR_INVALID_CONN, VIR_ERR_SYSTEM_ERROR, VIR_ERR_RPC ->
                "the host cannot be reached (" + detail(e) + ")";
            case VIR_ERR_OPERATION_TIMEOUT, VIR_ERR_AGENT_UNRESPONSIVE -> "the host or guest did not answer in time";
            case VIR_ERR_OPERATION_FAILED, VIR_ERR_INTERNAL_ERROR -> "the hypervisor failed (" + detail(e) + ")";
            case VIR_ERR_XML_ERROR, VIR_ERR_XML_DETAIL, VIR_ERR_CONFIG_UNSUPPORTED ->
                "the definition was refused (" + detail(e) + ")";
            case VIR_ERR_OPERATION_ABORTED -> "the operation was cancelled";
            default -> detail(e);
        };
    }

    private static String detail(LibvirtException e) {
        var error = e.getError();
        String message = error == null ? null : error.getMessage();
        return message == null || message.isBlank() ? "no details given" : message.strip();
    }
}
