package org.kvmportal.base;

/**
 * Marks an exception that refuses a call because the caller has no right to it, as the database says now: not
 * their VM, not their level, not their role. "No such VM" is one too, as it answers alike for a VM that does not
 * exist and one the caller may not see. Refusals of other kinds (bad input, a VM in the wrong state, an action
 * already running, a quota) do not carry it. Code and tests decide "was this refused for lack of a right?" by
 * this type (or Spring Security's {@code AccessDeniedException}), never by a message's wording.
 */
public interface AccessRefusal {}
