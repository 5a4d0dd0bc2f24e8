/**
 * Virtual machines as users see them: which VMs a person may see, and live changes to them. Authorization
 * happens here, in the service, whatever the views show.
 */
package org.kvmportal.vm;
