/**
 * The audit log: an append-only record of who did what, when, from where, and how it ended. Other features
 * do not call into it for sign-ins: it listens to Spring Security's authentication events.
 */
package org.kvmportal.audit;
