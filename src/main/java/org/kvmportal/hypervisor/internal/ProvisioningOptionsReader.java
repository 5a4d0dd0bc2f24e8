package org.kvmportal.hypervisor.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.kvmportal.hypervisor.ProvisioningOptions;
import org.kvmportal.hypervisor.ProvisioningOptions.Pool;
import org.kvmportal.hypervisor.ProvisioningOptions.Volume;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;

/** Reads what a new VM on a host may use: active pools with their volumes, active networks, firmware. */
final class ProvisioningOptionsReader {

    /** A pool with more volumes than this lists only the first ones (by name): the wizard is no file browser. */
    static final int MAX_VOLUMES = 500;

    private ProvisioningOptionsReader() {}

    static ProvisioningOptions read(PortalConnect connect, String domainType) throws LibvirtException {
        var scan = DomainScan.read(connect);
        var pools = new ArrayList<Pool>();
        for (String name : sorted(connect.listStoragePools())) {
            StoragePool pool = connect.storagePoolLookupByName(name);
            try {
                pools.add(pool(pool, name, scan));
            } finally {
                pool.free();
            }
        }
        var guest = HostGuest.read(connect, domainType);
        return new ProvisioningOptions(
                pools, List.of(sorted(connect.listNetworks())), FirmwareSupport.uefiUnavailable(connect, guest));
    }

    private static Pool pool(StoragePool pool, String name, DomainScan scan) throws LibvirtException {
        try {
            pool.refresh(0); // files copied into a directory pool by hand show up
        } catch (LibvirtException e) {
            // a pool that cannot refresh still lists what it knew
        }
        var xml = DomainXml.parse(pool.getXMLDesc(0)).getDocumentElement();
        var volumes = new ArrayList<Volume>();
        for (String volumeName : sorted(pool.listVolumes())) {
            if (volumes.size() == MAX_VOLUMES) {
                break;
            }
            StorageVol volume;
            try {
                volume = pool.storageVolLookupByName(volumeName);
            } catch (LibvirtException e) {
                continue; // deleted since the listing
            }
            try {
                var volumeXml = DomainXml.parse(volume.getXMLDesc(0)).getDocumentElement();
                var target = XmlElements.child(volumeXml, "target");
                var format = target == null ? null : XmlElements.child(target, "format");
                String path = target == null ? "" : XmlElements.text(target, "path");
                volumes.add(new Volume(
                        volumeName,
                        format == null ? "" : format.getAttribute("type"),
                        XmlElements.bytes(volumeXml, "capacity"),
                        scan.usersOf(path, name, volumeName)));
            } finally {
                volume.free();
            }
        }
        volumes.sort(Comparator.comparing(Volume::name));
        return new Pool(name, xml.getAttribute("type"), XmlElements.bytes(xml, "available"), volumes);
    }

    private static String[] sorted(String[] names) {
        var copy = names.clone();
        Arrays.sort(copy);
        return copy;
    }
}
