package org.kvmportal.vm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.hypervisor.Screenshot;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/**
 * Small pictures of running VMs' screens, for cards and lists.
 *
 * <p>One picture per VM, shared by everyone who may see that VM and taken at most every {@link #REFRESH}:
 * fifty people watching one VM cost one screenshot per ten seconds, and never more than one is in flight per
 * VM. VMs nobody asked about for {@link #IDLE} are forgotten, and at most {@link #MAX_VMS} are kept.
 */
@Service
@PreAuthorize("isAuthenticated()")
public class VmThumbnails {

    static final Duration REFRESH = Duration.ofSeconds(10);
    static final Duration IDLE = Duration.ofMinutes(1);
    static final int MAX_VMS = 512;

    private final VmService vms;
    private final Hypervisor hypervisor;
    private final Clock clock;
    private final Map<DomainRef, Entry> entries = new ConcurrentHashMap<>();
    private volatile Instant lastSweep = Instant.MIN;

    @Autowired
    VmThumbnails(VmService vms, Hypervisor hypervisor) {
        this(vms, hypervisor, Clock.systemUTC());
    }

    VmThumbnails(VmService vms, Hypervisor hypervisor, Clock clock) {
        this.vms = vms;
        this.hypervisor = hypervisor;
        this.clock = clock;
    }

    /**
     * The VM's screen as a PNG of at most {@link Screenshot#MAX_WIDTH} x {@link Screenshot#MAX_HEIGHT} pixels,
     * at most {@link #REFRESH} old. Empty, without asking the host, when the signed-in user may not see the VM
     * or it is not running. Fails with the host's reason (a {@code HypervisorException}) when the picture could
     * not be taken; that answer too is kept for {@link #REFRESH}, so a failing host is not asked again and again.
     */
    public CompletableFuture<Optional<byte[]>> thumbnail(DomainRef ref) {
        var vm = vms.find(ref);
        if (vm.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        if (!vm.get().state().isActive()) {
            entries.remove(ref); // when it starts again, its old screen is of no use
            return CompletableFuture.completedFuture(Optional.empty());
        }
        var now = clock.instant();
        sweep(ref, now);
        return entries.computeIfAbsent(ref, ignored -> new Entry())
                .get(ref, now)
                .copy();
    }

    /** How many VMs' pictures are kept: for tests. */
    int cached() {
        return entries.size();
    }

    /** Forgets VMs nobody asked about lately, and makes room for {@code ref} when the cache is full. */
    private void sweep(DomainRef ref, Instant now) {
        if (now.isAfter(lastSweep.plus(REFRESH))) {
            lastSweep = now;
            var oldest = now.minus(IDLE);
            entries.values().removeIf(entry -> entry.lastAsked.isBefore(oldest));
        }
        while (entries.size() >= MAX_VMS && !entries.containsKey(ref)) {
            entries.entrySet().stream()
                    .min(Comparator.comparing(entry -> entry.getValue().lastAsked))
                    .ifPresent(entry -> entries.remove(entry.getKey(), entry.getValue()));
        }
    }

    /** One VM's latest picture, or the screenshot under way. */
    private final class Entry {

        private volatile Instant lastAsked = Instant.MIN;
        // Guarded by this:
        private CompletableFuture<Optional<byte[]>> picture;
        private Instant taken;

        synchronized CompletableFuture<Optional<byte[]>> get(DomainRef ref, Instant now) {
            lastAsked = now;
            boolean stale = picture == null || (picture.isDone() && !now.isBefore(taken.plus(REFRESH)));
            if (stale) {
                taken = now;
                picture = hypervisor.screenshot(ref).thenApply(screenshot -> Optional.of(screenshot.png()));
            }
            return picture;
        }
    }
}
