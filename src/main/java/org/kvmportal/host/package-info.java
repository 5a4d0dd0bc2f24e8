/** Hypervisor hosts as admins see them: which are configured and how their connections stand. */
package org.kvmportal.host;
