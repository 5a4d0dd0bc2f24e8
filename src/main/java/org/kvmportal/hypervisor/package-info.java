/**
 * The hypervisor layer: the only package that talks to libvirt (libvirt-java and JNA).
 *
 * <p>Its public face is {@link org.kvmportal.hypervisor.Hypervisor} plus the records and events in this
 * package; nothing from {@code org.libvirt} or {@code com.sun.jna} leaks out. Every libvirt call runs on a
 * bounded pool of platform threads per host, with a timeout, so a slow host never stalls the UI or other
 * hosts.
 */
package org.kvmportal.hypervisor;
