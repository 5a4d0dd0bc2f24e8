/**
 * New VMs: the create wizard (from an ISO, an existing disk image or a template), templates and self-service
 * within quotas, and clones of stopped VMs. Rights, validation, quotas and the audit trail are decided in
 * {@link org.kvmportal.provisioning.ProvisioningService}; libvirt work is the hypervisor's {@code Provisioner}.
 */
package org.kvmportal.provisioning;
