package org.kvmportal.hypervisor;

import java.util.concurrent.CompletableFuture;

/**
 * Makes new domains: from an installer ISO, from an existing disk image, or as a copy of another domain (a
 * template or a stopped VM), its disks copied in full or linked to the original's (qcow2 backing files).
 *
 * <p>Like {@link Hypervisor}, it does no authorization: the provisioning service checks the caller's rights,
 * validates every field and chooses the UUID before it calls. A {@link NewVm} always gives the same domain XML
 * on an unchanged host, so what {@link #preview} shows is what {@link #create} defines. A creation that fails
 * halfway deletes the volumes it made.
 */
public interface Provisioner {

    /** What a new VM on this host may use: storage pools and their volumes, networks, firmware. */
    CompletableFuture<ProvisioningOptions> options(String host);

    /** The domain XML {@link #create} would define, pretty-printed; creates nothing. */
    CompletableFuture<String> preview(NewVm spec);

    /** Creates the disk volumes, defines the domain and, if asked, starts it. */
    CompletableFuture<Provisioned> create(NewVm spec);
}
