package org.kvmportal.access;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** The quota columns users and groups both have (same names in app_user and app_group). */
@Embeddable
class QuotaColumns {

    @Column(name = "quota_vms")
    private Integer vms;

    @Column(name = "quota_vcpus")
    private Integer vcpus;

    @Column(name = "quota_memory_mib")
    private Long memoryMib;

    Quotas get() {
        return new Quotas(vms, vcpus, memoryMib);
    }

    void set(Quotas quotas) {
        vms = quotas.vms();
        vcpus = quotas.vcpus();
        memoryMib = quotas.memoryMib();
    }
}
