package org.kvmportal.hypervisor.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.kvmportal.hypervisor.HypervisorException;
import org.kvmportal.hypervisor.NewVm;
import org.kvmportal.hypervisor.Provisioned;
import org.kvmportal.hypervisor.Provisioner;
import org.kvmportal.hypervisor.ProvisioningOptions;
import org.kvmportal.hypervisor.internal.ProvisioningPlanner.Plan;
import org.kvmportal.hypervisor.internal.ProvisioningPlanner.PlannedVolume;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * {@link Provisioner} over libvirt: plans on the host's own thread (reads only), makes the volumes, defines
 * the domain and, if asked, starts it. A definition that fails deletes the volumes made for it.
 *
 * <p>Full copies of disks can take minutes: they run on a connection of their own (one copy at a time), so
 * that the host's thread stays free for the inventory and everyone else's actions meanwhile.
 */
@Component
class LibvirtProvisioner implements Provisioner {

    private static final Logger log = LoggerFactory.getLogger(LibvirtProvisioner.class);
    private static final Duration COPY_TIMEOUT = Duration.ofHours(2);

    /** Defines the domain; replaced only by tests that need a definition to fail after the volumes exist. */
    @FunctionalInterface
    interface Definer {
        void define(PortalConnect connect, String xml) throws LibvirtException;
    }

    private final LibvirtHypervisor hypervisor;
    private final ProvisioningPlanner planner;
    private final Definer definer;
    private final String domainType;
    private final HostPool copies = new HostPool("volume-copies");

    @Autowired
    LibvirtProvisioner(
            LibvirtHypervisor hypervisor, @Value("${kvmportal.provisioning.domain-type:auto}") String domainType) {
        this(
                hypervisor,
                domainType,
                (connect, xml) -> connect.domainDefineXML(xml).free());
    }

    LibvirtProvisioner(LibvirtHypervisor hypervisor, String domainType, Definer definer) {
        this.hypervisor = hypervisor;
        this.planner = new ProvisioningPlanner(domainType);
        this.definer = definer;
        this.domainType = domainType;
    }

    @Override
    public CompletableFuture<ProvisioningOptions> options(String host) {
        return hypervisor.onHost(
                host,
                connection -> connection.call(
                        "list what a new virtual machine may use on host " + host,
                        HostConnection.LIFECYCLE_TIMEOUT,
                        connect -> ProvisioningOptionsReader.read(connect, domainType)));
    }

    @Override
    public CompletableFuture<String> preview(NewVm spec) {
        return plan(spec).thenApply(Plan::domainXml);
    }

    @Override
    public CompletableFuture<Provisioned> create(NewVm spec) {
        return plan(spec)
                .thenCompose(plan -> hypervisor.onHost(spec.host(), host -> {
                    String action = "create " + spec.name();
                    CompletableFuture<List<PlannedVolume>> made;
                    if (plan.copiesInFull() && !host.status().simulated()) {
                        made = copies.submit(
                                "copy the disks for " + spec.name(),
                                COPY_TIMEOUT,
                                () -> onOwnConnection(
                                        host.status().uri(),
                                        "copy the disks for " + spec.name(),
                                        connect -> makeVolumes(connect, plan)));
                        made = made.thenCompose(volumes -> host.call(
                                action,
                                HostConnection.LIFECYCLE_TIMEOUT,
                                connect -> define(connect, spec, plan, volumes)));
                    } else {
                        made = host.call(
                                action,
                                HostConnection.LIFECYCLE_TIMEOUT,
                                connect -> define(connect, spec, plan, makeVolumes(connect, plan)));
                    }
                    return made.thenCompose(volumes -> settle(host, spec, volumes));
                }));
    }

    private CompletableFuture<Plan> plan(NewVm spec) {
        return hypervisor.onHost(
                spec.host(),
                host -> host.call(
                        "prepare " + spec.name(),
                        HostConnection.LIFECYCLE_TIMEOUT,
                        connect -> planner.plan(connect, spec)));
    }

    /** Makes every planned volume, or none: a failure deletes those made before it. */
    private static List<PlannedVolume> makeVolumes(PortalConnect connect, Plan plan) throws LibvirtException {
        var made = new ArrayList<PlannedVolume>();
        try {
            for (var planned : plan.volumes()) {
                StoragePool pool = ProvisioningPlanner.activePool(connect, planned.pool());
                try {
                    StorageVol volume;
                    if (planned.copyOf() == null) {
                        volume = pool.storageVolCreateXML(planned.xml(), 0);
                    } else {
                        StorageVol original = connect.storageVolLookupByPath(planned.copyOf());
                        try {
                            volume = pool.storageVolCreateXMLFrom(planned.xml(), original, 0);
                        } finally {
                            original.free();
                        }
                    }
                    volume.free();
                    made.add(planned);
                } finally {
                    pool.free();
                }
            }
        } catch (LibvirtException | RuntimeException e) {
            deleteQuietly(connect, made);
            throw e;
        }
        return made;
    }

    /** Defines the domain; when the host refuses, deletes the volumes made for it and says so. */
    private List<PlannedVolume> define(PortalConnect connect, NewVm spec, Plan plan, List<PlannedVolume> made)
            throws LibvirtException {
        try {
            definer.define(connect, plan.domainXml());
            return made;
        } catch (LibvirtException e) {
            deleteQuietly(connect, made);
            throw new HypervisorException(
                    LibvirtErrors.translate("define " + spec.name(), e).getMessage() + rolledBack(made), e);
        } catch (RuntimeException e) {
            deleteQuietly(connect, made);
            throw new HypervisorException(
                    "Could not define " + spec.name() + ": " + e.getMessage() + rolledBack(made), e);
        }
    }

    private static String rolledBack(List<PlannedVolume> made) {
        return made.isEmpty() ? "" : " The disk volumes made for it were deleted again.";
    }

    private static void deleteQuietly(PortalConnect connect, List<PlannedVolume> made) {
        for (var planned : made.reversed()) {
            try {
                StoragePool pool = connect.storagePoolLookupByName(planned.pool());
                try {
                    StorageVol volume = pool.storageVolLookupByName(planned.name());
                    try {
                        volume.delete(0);
                    } finally {
                        volume.free();
                    }
                } finally {
                    pool.free();
                }
            } catch (LibvirtException | RuntimeException e) {
                log.error(
                        "Could not delete volume {}/{} after a failed creation; delete it by hand: {}",
                        planned.pool(),
                        planned.name(),
                        e.getMessage());
            }
        }
    }

    /** Reads the new domain into the inventory, so that its page opens at once, then starts it if asked. */
    private CompletableFuture<Provisioned> settle(HostConnection host, NewVm spec, List<PlannedVolume> volumes) {
        var ref = spec.ref();
        var names = volumes.stream().map(v -> v.pool() + "/" + v.name()).toList();
        var listed = host.onDomain(ref, "read", HostConnection.READ_TIMEOUT, domain -> {})
                .exceptionally(error -> null); // the define event lists it a moment later anyway
        if (!spec.start()) {
            return listed.thenApply(ignored -> new Provisioned(ref, spec.name(), names, null));
        }
        return listed.thenCompose(ignored ->
                        host.onDomain(ref, "start", HostConnection.LIFECYCLE_TIMEOUT, domain -> domain.create()))
                .handle((ignored, error) ->
                        new Provisioned(ref, spec.name(), names, error == null ? null : messageOf(error)));
    }

    private static String messageOf(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause()
                : error;
        return cause.getMessage();
    }

    /** Runs on a connection opened for this work alone and closed after it. */
    private static <T> T onOwnConnection(String uri, String action, HostCall<T> work) {
        PortalConnect connect = null;
        try {
            connect = new PortalConnect(uri);
            return work.apply(connect);
        } catch (LibvirtException e) {
            throw LibvirtErrors.translate(action, e);
        } finally {
            if (connect != null) {
                try {
                    connect.close();
                } catch (LibvirtException ignored) {
                    // the work is done; a failing close changes nothing for the caller
                }
            }
        }
    }
}
