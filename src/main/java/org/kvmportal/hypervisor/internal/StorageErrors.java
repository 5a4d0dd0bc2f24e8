package org.kvmportal.hypervisor.internal;

import org.kvmportal.hypervisor.HypervisorException;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

/**
 * Messages for libvirt's storage and network errors, which {@link LibvirtErrors} words for domains ("the
 * virtual machine ..."). Anything else goes on to {@link LibvirtErrors} through the host's call.
 */
final class StorageErrors {

    private StorageErrors() {}

    /**
     * Wraps {@code call} so that storage and network errors read right.
     *
     * @param action completing "Could not ...", e.g. "start storage pool default"
     * @param thing what is acted on, for "the ... is not in a state that allows this", e.g. "storage pool"
     */
    static <T> HostCall<T> describing(String action, String thing, HostCall<T> call) {
        return connect -> {
            try {
                return call.apply(connect);
            } catch (LibvirtException e) {
                String reason = reason(e, thing);
                if (reason == null) {
                    throw e;
                }
                throw new HypervisorException("Could not " + action + ": " + reason + ".", e);
            }
        };
    }

    private static String reason(LibvirtException e, String thing) {
        var error = e.getError();
        var code = error == null ? null : error.getCode();
        if (code == null) {
            return null;
        }
        return switch (code) {
            case VIR_ERR_NO_STORAGE_POOL -> "there is no such storage pool";
            case VIR_ERR_NO_STORAGE_VOL -> "there is no such volume";
            case VIR_ERR_STORAGE_VOL_EXIST -> "a volume of that name already exists";
            case VIR_ERR_NO_NETWORK -> "there is no such network";
            case VIR_ERR_NETWORK_EXIST -> "a network of that name already exists";
            case VIR_ERR_OPERATION_INVALID ->
                "the " + thing + " is not in a state that allows this (" + LibvirtErrors.detail(error) + ")";
            default -> null;
        };
    }

    static boolean is(LibvirtException e, ErrorNumber code) {
        return e.getError() != null && e.getError().getCode() == code;
    }
}
