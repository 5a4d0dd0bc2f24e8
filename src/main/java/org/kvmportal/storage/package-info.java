/**
 * Storage for admins: the storage pools of each host with their capacity and free space, their volumes with
 * what depends on each, creating, growing and deleting volumes, and uploading ISO images from the browser.
 * Pools and volumes are chosen by name from lists the server made; the browser never names a path.
 */
package org.kvmportal.storage;
