/**
 * The audit log: an append-only record of who did what, when, from where, and how it ended. Other features
 * record through {@link org.kvmportal.audit.AuditLog#record}; sign-ins are recorded from Spring Security's
 * authentication events. Who may read which entries is decided in {@link org.kvmportal.audit.AuditLog}: admins
 * everything, others the entries about the VMs an {@link org.kvmportal.audit.AuditVisibility} bean (provided by
 * the {@code vm} feature, which depends on this one) lets them see. Entries leave the log only through the
 * retention purge ({@code kvmportal.audit.retention}).
 */
package org.kvmportal.audit;
