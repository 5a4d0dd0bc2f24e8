package org.kvmportal.vm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.kvmportal.audit.Actor;
import org.kvmportal.audit.AuditEntry;
import org.kvmportal.audit.AuditLog;
import org.kvmportal.base.CurrentUser;
import org.kvmportal.base.Failures;
import org.kvmportal.hypervisor.DomainEditor;
import org.kvmportal.hypervisor.DomainHardware;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.EditChoices;
import org.kvmportal.hypervisor.EditLimits;
import org.kvmportal.hypervisor.EditOutcome;
import org.kvmportal.hypervisor.HardwareEdit;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.hypervisor.HypervisorException;
import org.kvmportal.hypervisor.VolumeInUseException;
import org.kvmportal.storage.VolumeId;
import org.kvmportal.storage.VolumeOwner;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/**
 * Changes to a VM's configuration: processors and memory, disks, CD-ROM media, network interfaces, boot order,
 * description, autostart, and (admins only) its XML. Every call needs {@link VmRight#MANAGE} on the VM, read
 * from the database at that moment; input is checked against the VM and the host ({@link VmEditInput}) before
 * libvirt is called, and every change goes into the audit log with what it was before and after.
 */
@Service
@PreAuthorize("isAuthenticated()")
public class VmEditing {

    private final CurrentUser caller;

    private static final String NO_SUCH_VM = "That virtual machine no longer exists.";
    private static final int AUDIT_TEXT = 300;

    private final Hypervisor hypervisor;
    private final DomainEditor editor;
    private final VmAccessPolicy policy;
    private final AuditLog audit;
    private final VmVolumes volumes;

    VmEditing(
            Hypervisor hypervisor,
            DomainEditor editor,
            VmAccessPolicy policy,
            AuditLog audit,
            CurrentUser caller,
            VmVolumes volumes) {
        this.caller = caller;
        this.volumes = volumes;
        this.hypervisor = hypervisor;
        this.editor = editor;
        this.policy = policy;
        this.audit = audit;
    }

    /** Whether the signed-in user may change this VM's configuration. */
    public boolean mayEdit(DomainRef ref) {
        return policy.rights(caller.authentication().getName(), ref).contains(VmRight.MANAGE);
    }

    /** Whether the signed-in user may edit this VM's XML: admins only, as it can change anything. */
    public boolean mayEditXml(DomainRef ref) {
        return isAdmin() && mayEdit(ref);
    }

    /** The VM's hardware; disks by file name only for people who are not admins (see {@link HostInternals}). */
    public CompletableFuture<DomainHardware> hardware(DomainRef ref) {
        boolean admin = isAdmin(); // on the caller's thread: the hypervisor's threads have no caller
        return permitted(ref, editor::hardware)
                .thenApply(hardware -> admin ? hardware : HostInternals.hiddenFrom(hardware));
    }

    public CompletableFuture<EditLimits> limits(DomainRef ref) {
        return permitted(ref, editor::limits);
    }

    /**
     * The host's pools and networks, with only the volumes and disc images the signed-in user may use on this VM
     * (ADR 13): what the view offers. The edits below check the same rule again.
     */
    public CompletableFuture<EditChoices> choices(DomainRef ref) {
        var scope = policy.scope(caller.username());
        var recorded = scope.admin() ? Map.<VolumeId, VolumeOwner>of() : volumes.recorded(ref.host());
        return permitted(ref, editor::choices).thenApply(all -> VmVolumes.offered(scope, ref, recorded, all));
    }

    /** Memory in MiB. A running VM takes what it can at once; the rest is reported as pending. */
    public CompletableFuture<EditOutcome> setProcessorsAndMemory(
            DomainRef ref, Integer vcpus, Integer maxVcpus, Long memoryMib, Long maxMemoryMib) {
        return edit(ref, "VM_EDIT_CPU_MEMORY", Needs.LIMITS, loaded -> {
            var vm = loaded.hardware();
            var edit = VmEditInput.processorsAndMemory(
                    vm, loaded.summary().memoryKiB(), loaded.limits(), vcpus, maxVcpus, memoryMib, maxMemoryMib);
            return new Change(
                    edit,
                    cpuMemory(vm.vcpus(), vm.maxVcpus(), vm.memoryKiB(), vm.maxMemoryKiB()) + " → "
                            + cpuMemory(edit.vcpus(), edit.maxVcpus(), edit.memoryKiB(), edit.maxMemoryKiB()));
        });
    }

    /** Creates an empty volume in a pool and attaches it as a new disk. */
    public CompletableFuture<EditOutcome> addNewDisk(
            DomainRef ref, String pool, String volume, Long sizeGib, String format, String bus) {
        String by = caller.username(); // read here: the change is recorded on the host's thread
        return edit(ref, "VM_DISK_ADD", Needs.CHOICES, loaded -> {
            var edit = VmEditInput.newDisk(loaded.choices(), pool, volume, sizeGib, format, bus);
            // The new volume is this VM's: its managers may attach it again once detached, and delete it with it.
            return new Change(
                    edit,
                    "new " + sizeGib + " GiB " + format + " volume " + pool + "/" + edit.volume() + " on " + bus,
                    () -> volumes.madeFor(ref, List.of(edit.pool() + "/" + edit.volume()), by));
        });
    }

    /**
     * Attaches an existing volume. Non-admins attach only volumes of VMs they manage that no other domain uses
     * and no volume's backing chain needs ({@link VolumeRefusedException} otherwise; the hypervisor checks the
     * use again as it attaches).
     */
    public CompletableFuture<EditOutcome> attachDisk(DomainRef ref, String pool, String volume, String bus) {
        return edit(ref, "VM_DISK_ATTACH", Needs.CHOICES, loaded -> {
            var edit = VmEditInput.attachDisk(
                    loaded.hardware(),
                    loaded.choices(),
                    pool,
                    volume,
                    bus,
                    !loaded.scope().admin());
            String refusal = VmVolumes.diskRefusal(
                    loaded.scope(),
                    ref,
                    loaded.owners(),
                    edit.pool(),
                    loaded.choices().pool(pool).flatMap(p -> p.volume(volume)).orElseThrow());
            if (refusal != null) {
                throw new VolumeRefusedException(refusal);
            }
            return new Change(edit, "volume " + pool + "/" + volume + " attached on " + bus);
        });
    }

    /** Detaches a disk; its volume or file stays on the host. */
    public CompletableFuture<EditOutcome> detachDisk(DomainRef ref, String target) {
        return edit(ref, "VM_DISK_DETACH", Needs.NOTHING, loaded -> {
            var edit = VmEditInput.detachDisk(loaded.hardware(), target);
            return new Change(edit, disk(loaded.hardware(), target) + " → detached (kept on the host)");
        });
    }

    public CompletableFuture<EditOutcome> resizeDisk(DomainRef ref, String target, Long sizeGib) {
        return edit(ref, "VM_DISK_RESIZE", Needs.NOTHING, loaded -> {
            var edit = VmEditInput.resizeDisk(loaded.hardware(), target, sizeGib);
            long before = loaded.hardware().disk(target).orElseThrow().capacityBytes();
            return new Change(edit, target + " " + before + " bytes → " + edit.capacityBytes() + " bytes");
        });
    }

    public CompletableFuture<EditOutcome> changeDiskBus(DomainRef ref, String target, String bus) {
        return edit(ref, "VM_DISK_BUS", Needs.NOTHING, loaded -> {
            var edit = VmEditInput.diskBus(loaded.hardware(), target, bus);
            return new Change(
                    edit,
                    target + " on "
                            + loaded.hardware().disk(target).orElseThrow().bus() + " → " + bus);
        });
    }

    /**
     * Puts a disc image (an {@code .iso} volume of a pool) into a CD-ROM drive; non-admins only images an admin
     * published or that belong to a VM they manage ({@link VolumeRefusedException} otherwise).
     */
    public CompletableFuture<EditOutcome> insertMedia(DomainRef ref, String target, String pool, String image) {
        return edit(ref, "VM_MEDIA_INSERT", Needs.CHOICES, loaded -> {
            var edit = VmEditInput.insertMedia(loaded.hardware(), loaded.choices(), target, pool, image);
            String refusal = VmVolumes.mediumRefusal(loaded.scope(), ref, loaded.owners(), pool, image);
            if (refusal != null) {
                throw new VolumeRefusedException(refusal);
            }
            return new Change(edit, disk(loaded.hardware(), target) + " → " + target + ": " + pool + "/" + image);
        });
    }

    public CompletableFuture<EditOutcome> ejectMedia(DomainRef ref, String target) {
        return edit(
                ref,
                "VM_MEDIA_EJECT",
                Needs.NOTHING,
                loaded -> new Change(
                        VmEditInput.ejectMedia(loaded.hardware(), target),
                        disk(loaded.hardware(), target) + " → " + target + ": no medium"));
    }

    /** Adds an empty CD-ROM drive (at the next start: such drives cannot be plugged into a running machine). */
    public CompletableFuture<EditOutcome> addCdrom(DomainRef ref, String bus) {
        return edit(
                ref,
                "VM_CDROM_ADD",
                Needs.NOTHING,
                loaded -> new Change(VmEditInput.addCdrom(bus), "new CD-ROM drive on " + bus));
    }

    /** @param network a network of the host, or null/blank for user-mode networking; mac blank to get one */
    public CompletableFuture<EditOutcome> addNic(DomainRef ref, String network, String model, String mac) {
        return edit(ref, "VM_NIC_ADD", Needs.CHOICES, loaded -> {
            var nic = VmEditInput.nic(loaded.hardware(), loaded.choices(), network, model, mac, null);
            return new Change(new HardwareEdit.AddNic(nic), "new network interface " + nic(nic));
        });
    }

    public CompletableFuture<EditOutcome> changeNic(
            DomainRef ref, String mac, String network, String model, String newMac) {
        return edit(ref, "VM_NIC_CHANGE", Needs.CHOICES, loaded -> {
            String current = VmEditInput.existingNic(loaded.hardware(), mac);
            var nic = VmEditInput.nic(loaded.hardware(), loaded.choices(), network, model, newMac, current);
            var before = loaded.hardware().nic(current).orElseThrow();
            return new Change(
                    new HardwareEdit.ChangeNic(current, nic),
                    current + " " + (before.source().isEmpty() ? before.type() : before.source()) + " " + before.model()
                            + " → " + nic(nic));
        });
    }

    public CompletableFuture<EditOutcome> removeNic(DomainRef ref, String mac) {
        return edit(ref, "VM_NIC_REMOVE", Needs.NOTHING, loaded -> {
            String current = VmEditInput.existingNic(loaded.hardware(), mac);
            return new Change(new HardwareEdit.RemoveNic(current), "network interface " + current + " → removed");
        });
    }

    /** @param devices disk targets and NIC MACs, first first; devices left out are not booted from */
    public CompletableFuture<EditOutcome> setBootOrder(DomainRef ref, List<String> devices) {
        return edit(ref, "VM_BOOT_ORDER", Needs.NOTHING, loaded -> {
            var edit = VmEditInput.bootOrder(loaded.hardware(), devices);
            return new Change(edit, loaded.hardware().bootOrder() + " → " + edit.devices());
        });
    }

    /** Any text, kept exactly (line breaks as {@code \n}); an empty text removes the description. */
    public CompletableFuture<Void> setDescription(DomainRef ref, String description) {
        var actor = audit.actor();
        String clean;
        try {
            clean = VmEditInput.description(description);
        } catch (VmEditException e) {
            return CompletableFuture.failedFuture(e);
        }
        var vm = allowed(actor, ref, "VM_DESCRIPTION");
        if (vm == null) {
            return refused(actor, ref);
        }
        return editor.hardware(ref)
                .thenCompose(before -> hypervisor
                        .setDescription(ref, clean)
                        .whenComplete((done, error) -> record(
                                actor,
                                "VM_DESCRIPTION",
                                ref,
                                vm,
                                quoted(before.description()) + " → " + quoted(clean),
                                error)));
    }

    public CompletableFuture<Void> setAutostart(DomainRef ref, boolean autostart) {
        var actor = audit.actor();
        String action = autostart ? "VM_AUTOSTART_ON" : "VM_AUTOSTART_OFF";
        var vm = allowed(actor, ref, action);
        if (vm == null) {
            return refused(actor, ref);
        }
        return hypervisor
                .setAutostart(ref, autostart)
                .whenComplete((done, error) -> record(
                        actor,
                        action,
                        ref,
                        vm,
                        (vm.autostart() ? "on" : "off") + " → " + (autostart ? "on" : "off"),
                        error));
    }

    /** The persistent definition for the XML editor, secrets masked. */
    @PreAuthorize("hasRole('ADMIN')")
    public CompletableFuture<String> xmlForEditing(DomainRef ref) {
        return permitted(ref, editor::editableXml);
    }

    /**
     * Replaces the definition with an admin's XML, validated by libvirt; on failure the old definition stays and
     * the message holds libvirt's error.
     */
    @PreAuthorize("hasRole('ADMIN')")
    public CompletableFuture<Void> defineXml(DomainRef ref, String xml) {
        var actor = audit.actor();
        String text;
        try {
            text = VmEditInput.xml(xml);
        } catch (VmEditException e) {
            return CompletableFuture.failedFuture(e);
        }
        var vm = allowed(actor, ref, "VM_XML_DEFINE");
        if (vm == null) {
            return refused(actor, ref);
        }
        var before = editor.editableXml(ref);
        return before.thenCompose(current -> editor.defineXml(ref, text))
                .whenComplete(
                        (done, error) -> record(actor, "VM_XML_DEFINE", ref, vm, xmlChanges(before, text), error));
    }

    /**
     * An XML edit for the audit log, tried or done: both versions as the editor shows them (parsed, secrets
     * masked), compared line by line. Text that is not XML is not recorded at all: no parser can say where a
     * secret in it begins, and the log is read by people who may not see it.
     */
    private String xmlChanges(CompletableFuture<String> before, String after) {
        String masked;
        try {
            masked = editor.masked(after);
        } catch (HypervisorException notXml) {
            return "new definition not well-formed (its text is not recorded)";
        }
        if (before.state() != Future.State.SUCCESS) {
            return "current definition unreadable; new one:\n" + XmlChanges.describe("", masked);
        }
        return XmlChanges.describe(before.resultNow(), masked);
    }

    private enum Needs {
        NOTHING,
        LIMITS,
        CHOICES
    }

    /**
     * What an edit is checked against: the VM as the inventory and its definition have it, the host, and (for
     * edits that choose volumes) who the person is and who owns which volume, read from the database first.
     */
    private record Loaded(
            DomainSummary summary,
            DomainHardware hardware,
            EditLimits limits,
            EditChoices choices,
            VmScope scope,
            Map<VolumeId, VolumeOwner> owners) {}

    /**
     * A checked edit, how the audit log describes it ("before → after"), and what to record once it is made.
     */
    private record Change(HardwareEdit edit, String detail, Runnable done) {

        Change(HardwareEdit edit, String detail) {
            this(edit, detail, () -> {});
        }
    }

    private CompletableFuture<EditOutcome> edit(
            DomainRef ref, String action, Needs needs, Function<Loaded, Change> check) {
        var actor = audit.actor();
        var vm = allowed(actor, ref, action);
        if (vm == null) {
            return refused(actor, ref);
        }
        var limits = needs == Needs.LIMITS ? editor.limits(ref) : CompletableFuture.<EditLimits>completedFuture(null);
        var choices =
                needs == Needs.CHOICES ? editor.choices(ref) : CompletableFuture.<EditChoices>completedFuture(null);
        // Read here, on the caller's thread, not on the host's thread the checks below run on.
        var scope = needs == Needs.CHOICES ? policy.scope(actor.username()) : null;
        var owners = needs == Needs.CHOICES ? volumes.recorded(ref.host()) : Map.<VolumeId, VolumeOwner>of();
        return editor.hardware(ref)
                .thenCombine(limits, (hardware, limit) -> new Loaded(vm, hardware, limit, null, scope, owners))
                .thenCombine(
                        choices,
                        (loaded, choice) ->
                                new Loaded(loaded.summary(), loaded.hardware(), loaded.limits(), choice, scope, owners))
                .thenCompose(loaded -> {
                    Change change;
                    try {
                        change = check.apply(loaded);
                    } catch (VmEditException refusal) {
                        if (refusal instanceof VolumeRefusedException) {
                            // Someone reached for a volume that is not theirs: worth a line in the audit log.
                            record(actor, action, ref, vm, null, refusal);
                        }
                        return CompletableFuture.failedFuture(refusal); // nothing was changed
                    }
                    return editor.apply(ref, change.edit())
                            .whenComplete((outcome, error) -> {
                                if (error == null) {
                                    recordMade(change);
                                }
                            })
                            .whenComplete((outcome, error) -> record(
                                    actor,
                                    action,
                                    ref,
                                    vm,
                                    change.detail()
                                            + (outcome == null
                                                            || outcome.pending().isEmpty()
                                                    ? ""
                                                    : " (the running machine takes some of it at the next start)"),
                                    error));
                });
    }

    /**
     * Records who owns what the edit made. A failure leaves a new volume without a record, which makes it the
     * admins' (the safe side): logged, the edit itself stands.
     */
    private static void recordMade(Change change) {
        try {
            change.done().run();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(VmEditing.class)
                    .error("Could not record the owner of what {} made", change.edit(), e);
        }
    }

    private <T> CompletableFuture<T> permitted(DomainRef ref, Function<DomainRef, CompletableFuture<T>> read) {
        var actor = audit.actor();
        var rights = policy.rights(actor.username(), ref);
        if (!rights.contains(VmRight.SEE)) {
            return CompletableFuture.failedFuture(new VmAccessRefusedException(NO_SUCH_VM));
        }
        if (!rights.contains(VmRight.MANAGE)) {
            return CompletableFuture.failedFuture(new VmAccessRefusedException(mayNot(ref)));
        }
        return read.apply(ref);
    }

    /** The VM when the user may change it; null (with the refusal recorded) when not. */
    private DomainSummary allowed(Actor actor, DomainRef ref, String action) {
        var rights = policy.rights(actor.username(), ref);
        var vm = hypervisor.domain(ref).orElse(null);
        if (vm == null || !rights.contains(VmRight.SEE)) {
            record(actor, action, ref, null, null, new VmAccessRefusedException(NO_SUCH_VM));
            return null;
        }
        if (!rights.contains(VmRight.MANAGE)) {
            record(actor, action, ref, vm, null, new VmAccessRefusedException(mayNot(ref)));
            return null;
        }
        return vm;
    }

    private <T> CompletableFuture<T> refused(Actor actor, DomainRef ref) {
        var rights = policy.rights(actor.username(), ref);
        return CompletableFuture.failedFuture(
                new VmAccessRefusedException(rights.contains(VmRight.SEE) ? mayNot(ref) : NO_SUCH_VM));
    }

    private String mayNot(DomainRef ref) {
        String name = hypervisor.domain(ref).map(DomainSummary::name).orElse("this virtual machine");
        return "You may not change how " + name + " is configured.";
    }

    private void record(Actor actor, String action, DomainRef ref, DomainSummary vm, String detail, Throwable error) {
        String target = ref.host() + "/" + (vm == null ? ref.uuid() : vm.name() + " (" + ref.uuid() + ")");
        var cause = error == null ? null : Failures.causeOf(error);
        boolean refused = cause instanceof VmActionException
                || cause instanceof VolumeRefusedException
                || cause instanceof VolumeInUseException; // the hypervisor's own check of an exclusive attach
        String result = error == null ? "SUCCESS" : refused ? "REFUSED" : "FAILURE";
        String text = error == null ? detail : (detail == null ? "" : detail + ": ") + VmService.messageOf(error);
        audit.record(AuditEntry.of(actor, action, target, ref, null, result, text));
    }

    private static String cpuMemory(int vcpus, int maxVcpus, long memoryKiB, long maxMemoryKiB) {
        return vcpus + " of at most " + maxVcpus + " vCPUs, " + memoryKiB / 1024 + " of at most " + maxMemoryKiB / 1024
                + " MiB";
    }

    private static String disk(DomainHardware vm, String target) {
        return vm.disk(target)
                .map(disk -> target + ": " + (disk.source().isEmpty() ? "no medium" : disk.source()))
                .orElse(target);
    }

    private static String nic(HardwareEdit.Nic nic) {
        return (nic.network() == null ? "user-mode" : "network " + nic.network()) + " " + nic.model()
                + (nic.mac() == null ? "" : " " + nic.mac());
    }

    private static String quoted(String text) {
        String shown = text.length() > AUDIT_TEXT ? text.substring(0, AUDIT_TEXT) + "…" : text;
        return "\"" + shown + "\"";
    }

    private boolean isAdmin() {
        return caller.authentication().getAuthorities().stream()
                .anyMatch(authority -> authority.getAuthority().equals("ROLE_ADMIN"));
    }

    /** The lines an XML edit removed and added, for the audit log, between two definitions masked alike. */
    static final class XmlChanges {

        private static final int MAX_LINES = 40;

        private XmlChanges() {}

        static String describe(String before, String after) {
            var old = lines(before);
            var now = lines(after);
            var removed = new ArrayList<String>();
            var remaining = new ArrayList<>(now);
            for (String line : old) {
                if (!remaining.remove(line)) {
                    removed.add("- " + line);
                }
            }
            var added = remaining.stream().map(line -> "+ " + line).toList();
            var all = new ArrayList<String>(removed);
            all.addAll(added);
            if (all.isEmpty()) {
                return "no line changed";
            }
            String shown = String.join("\n", all.subList(0, Math.min(all.size(), MAX_LINES)));
            return shown + (all.size() > MAX_LINES ? "\n… " + (all.size() - MAX_LINES) + " more lines" : "");
        }

        private static List<String> lines(String xml) {
            return Arrays.stream(xml.split("\n"))
                    .map(String::strip)
                    .filter(line -> !line.isEmpty())
                    .toList();
        }
    }
}
