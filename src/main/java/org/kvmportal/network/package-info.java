/**
 * libvirt's virtual networks for admins: list them with their state, bridge, address and DHCP range, start
 * and stop them, set autostart, read their DHCP leases, and define a NAT network.
 */
package org.kvmportal.network;
