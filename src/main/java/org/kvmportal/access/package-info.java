/**
 * Users, roles and sign-in: form login against users stored in the database (BCrypt), throttling of
 * repeated failures, the security filter chain, and each user's preferences.
 */
package org.kvmportal.access;
