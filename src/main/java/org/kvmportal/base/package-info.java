/** The application shell shared by every feature: layout, navigation and styles. */
package org.kvmportal.base;
