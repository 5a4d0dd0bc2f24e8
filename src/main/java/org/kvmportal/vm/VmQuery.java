package org.kvmportal.vm;

import java.util.Comparator;
import java.util.Locale;
import java.util.function.Predicate;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.PowerState;

/**
 * A filtered, sorted view of the VM list.
 *
 * @param text matched against name and host, case-insensitively; empty matches all
 * @param state only VMs in this state, or null for any
 * @param host only VMs on this host, or null for all
 */
public record VmQuery(String text, PowerState state, String host, Sort sort, boolean ascending) {

    public enum Sort {
        NAME(Comparator.comparing(DomainSummary::name, String.CASE_INSENSITIVE_ORDER)),
        HOST(Comparator.comparing(vm -> vm.ref().host())),
        STATE(Comparator.comparing(vm -> vm.state().label())),
        VCPUS(Comparator.comparingInt(DomainSummary::vcpus)),
        MEMORY(Comparator.comparingLong(DomainSummary::memoryKiB));

        private final Comparator<DomainSummary> comparator;

        Sort(Comparator<DomainSummary> comparator) {
            this.comparator = comparator;
        }
    }

    public static final VmQuery ALL = new VmQuery("", null, null, Sort.NAME, true);

    public VmQuery {
        text = text == null ? "" : text.strip();
        sort = sort == null ? Sort.NAME : sort;
    }

    Predicate<DomainSummary> matcher() {
        String needle = text.toLowerCase(Locale.ROOT);
        return vm -> (state == null || vm.state() == state)
                && (host == null || vm.ref().host().equals(host))
                && (needle.isEmpty()
                        || vm.name().toLowerCase(Locale.ROOT).contains(needle)
                        || vm.ref().host().toLowerCase(Locale.ROOT).contains(needle));
    }

    /** Ties are broken by name and host, so paging through equal keys is stable. */
    Comparator<DomainSummary> comparator() {
        var primary = ascending ? sort.comparator : sort.comparator.reversed();
        return primary.thenComparing(Sort.NAME.comparator).thenComparing(Sort.HOST.comparator);
    }
}
