package org.kvmportal.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kvmportal.testing.SignedIn.as;
import static org.kvmportal.testing.Virsh.virsh;
import static org.kvmportal.testing.Virsh.virshQuietly;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.kvmportal.base.Failures;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.hypervisor.VolumeFormat;
import org.kvmportal.storage.StorageService;
import org.kvmportal.storage.VolumeId;
import org.kvmportal.storage.VolumeOwners;
import org.kvmportal.testing.DiscImages;
import org.kvmportal.testing.TestAccounts;
import org.kvmportal.testing.ThrowawayDomain;
import org.kvmportal.testing.Virsh;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 17.1 as a table, on {@code qemu:///system}: every kind of volume × every role and level × attach (as a
 * disk), insert (as a CD-ROM medium) and delete (with a VM, "with its disks"), each cell checked on the host with
 * {@code virsh domblklist} and {@code vol-list}. Everything is the test's own: two throwaway VMs ("mine", which
 * the person holds at their level, and bob's "theirs"), a transient pool, an inactive pool, and for each delete
 * cell a throwaway VM holding the volume. The demo VMs are never touched.
 *
 * <p>Cells: {@code Y} the service let it through and the host shows it; {@code R} refused for the volume ({@link
 * VolumeRefusedException}); {@code -} refused otherwise (no right, not among the choices, already attached) or,
 * for delete, the volume is still there. Any refusal must be typed and change nothing.
 */
@SpringBootTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VolumeOwnershipIT {

    enum Kind {
        OWN_DISK,
        OWN_DETACHED,
        OTHER_VMS_DISK,
        OTHER_USERS_DETACHED,
        TEMPLATE_BASE,
        ADMIN_UPLOAD,
        ADMIN_FREE,
        PUBLISHED_ISO,
        INACTIVE_POOL
    }

    enum Act {
        ATTACH,
        INSERT,
        DELETE
    }

    /** A person: their role, and the level "mine" (and each delete cell's VM) is assigned to them at. */
    record Person(String username, String role, VmAccessLevel level, boolean viaGroup) {}

    private static final String HOST = "local";
    private static final Map<Person, Map<Act, String>> TABLE = new LinkedHashMap<>();

    static {
        //                                                   OWN  OWN-DET OTHER OTHER-DET BASE UPLOAD FREE PUB INACTIVE
        row(
                new Person("vo-admin", "ADMIN", null, false),
                "- Y Y Y Y Y Y Y -",
                "- - - - - Y - Y -",
                "Y - - - - - Y - -");
        row(
                new Person("vo-manage", "USER", VmAccessLevel.MANAGE, false),
                "- Y R R R R R R -",
                "- - - - - R - Y -",
                "Y - - - - - - - -");
        row(
                new Person("vo-educator", "EDUCATOR", VmAccessLevel.MANAGE, true),
                "- Y R R R R R R -",
                "- - - - - R - Y -",
                "Y - - - - - - - -");
        row(
                new Person("vo-operate", "USER", VmAccessLevel.OPERATE, false),
                "- - - - - - - - -",
                "- - - - - - - - -",
                "- - - - - - - - -");
        row(
                new Person("vo-view", "USER", VmAccessLevel.VIEW, false),
                "- - - - - - - - -",
                "- - - - - - - - -",
                "- - - - - - - - -");
        row(
                new Person("vo-helpdesk", "HELPDESK", null, false),
                "- - - - - - - - -",
                "- - - - - - - - -",
                "- - - - - - - - -");
        row(
                new Person("vo-stranger", "USER", null, false),
                "- - - - - - - - -",
                "- - - - - - - - -",
                "- - - - - - - - -");
    }

    private static void row(Person person, String attach, String insert, String delete) {
        var acts = new LinkedHashMap<Act, String>();
        acts.put(Act.ATTACH, attach);
        acts.put(Act.INSERT, insert);
        acts.put(Act.DELETE, delete);
        TABLE.put(person, acts);
    }

    /** Made here, not by {@code @TempDir}: a per-class test instance is made before static temp dirs are. */
    private static final Path data = temporaryDirectory();

    @DynamicPropertySource
    static void localHost(DynamicPropertyRegistry registry) {
        Virsh.asOnlyHost(registry, () -> data);
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("kp-vo-data-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Autowired
    VmEditing editing;

    @Autowired
    VmRemoval removal;

    @Autowired
    StorageService storage;

    @Autowired
    VolumeOwners owners;

    @Autowired
    Hypervisor hypervisor;

    @Autowired
    JdbcClient jdbc;

    private final String id = UUID.randomUUID().toString().substring(0, 8);
    private final String pool = "kp-vo-" + id;
    private final String offPool = "kp-vo-off-" + id;
    private Path dir;
    private ThrowawayDomain mine;
    private ThrowawayDomain theirs;
    private DomainRef mineRef;
    private final Map<Kind, String> volumes = new LinkedHashMap<>();

    @BeforeAll
    void world() throws Exception {
        var accounts = new TestAccounts(jdbc);
        TABLE.keySet().forEach(person -> accounts.user(person.username(), person.role()));
        accounts.user("vo-bob", "USER");
        accounts.group("vo-class", "vo-educator");
        dir = Files.createTempDirectory(
                "kp-vo-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.createDirectory(dir.resolve("pool"));
        Files.createDirectory(dir.resolve("off"));
        virsh("pool-create-as", pool, "dir", "--target", dir.resolve("pool").toString());
        virsh("pool-define-as", offPool, "dir", "--target", dir.resolve("off").toString());
        virsh("pool-start", offPool);
        virsh("vol-create-as", offPool, "off.qcow2", "16M", "--format", "qcow2");
        virsh("pool-destroy", offPool); // inactive from now on: its volume cannot be listed nor chosen

        mine = ThrowawayDomain.define("kp-vo-mine", "qcow2");
        theirs = ThrowawayDomain.define("kp-vo-theirs", "qcow2");
        mineRef = new DomainRef(HOST, mine.uuid());
        var theirsRef = new DomainRef(HOST, theirs.uuid());
        awaitListed(mineRef);
        awaitListed(theirsRef);
        grant(theirsRef, "vo-bob", VmAccessLevel.MANAGE, false);
        grant(mineRef, "vo-manage", VmAccessLevel.MANAGE, false);

        // What people make through the portal is recorded as it happens: disks made on the Hardware tab...
        as("vo-manage", "USER", () -> {
            editing.addNewDisk(mineRef, pool, "mine-disk.qcow2", 1L, "qcow2", "virtio")
                    .join();
            editing.addNewDisk(mineRef, pool, "mine-old.qcow2", 1L, "qcow2", "virtio")
                    .join();
            editing.detachDisk(mineRef, "vdc").join();
        });
        as("vo-bob", "USER", () -> {
            editing.addNewDisk(theirsRef, pool, "theirs-disk.qcow2", 1L, "qcow2", "virtio")
                    .join();
            editing.addNewDisk(theirsRef, pool, "theirs-old.qcow2", 1L, "qcow2", "virtio")
                    .join();
            editing.detachDisk(theirsRef, "vdc").join();
        });
        // ...and the admins' uploads and Storage-page volumes, one upload published for self-service.
        as("vo-admin", "ADMIN", () -> {
            editing.addCdrom(mineRef, "sata").join();
            upload("upload.iso");
            upload("published.iso");
            storage.publish(HOST, pool, "published.iso", true).join();
            storage.createVolume(HOST, pool, "free.qcow2", VolumeFormat.QCOW2, 1L)
                    .join();
        });
        jdbc.sql("delete from vm_user_grant where host = :host and vm_uuid = :uuid")
                .param("host", HOST)
                .param("uuid", mineRef.uuid())
                .update();
        // A template's base: the backing file of a linked clone's volume. It is recorded as "mine"'s own, so
        // that only its being a base refuses it; the volume in the inactive pool is "mine"'s too.
        virsh("vol-create-as", pool, "base.qcow2", "16M", "--format", "qcow2");
        virsh(
                "vol-create-as",
                pool,
                "linked.qcow2",
                "16M",
                "--format",
                "qcow2",
                "--backing-vol",
                dir.resolve("pool/base.qcow2").toString(),
                "--backing-vol-format",
                "qcow2");
        owners.giveToVm(new VolumeId(HOST, pool, "base.qcow2"), mineRef, "test");
        owners.giveToVm(new VolumeId(HOST, offPool, "off.qcow2"), mineRef, "test");

        volumes.put(Kind.OWN_DISK, "mine-disk.qcow2");
        volumes.put(Kind.OWN_DETACHED, "mine-old.qcow2");
        volumes.put(Kind.OTHER_VMS_DISK, "theirs-disk.qcow2");
        volumes.put(Kind.OTHER_USERS_DETACHED, "theirs-old.qcow2");
        volumes.put(Kind.TEMPLATE_BASE, "base.qcow2");
        volumes.put(Kind.ADMIN_UPLOAD, "upload.iso");
        volumes.put(Kind.ADMIN_FREE, "free.qcow2");
        volumes.put(Kind.PUBLISHED_ISO, "published.iso");
        volumes.put(Kind.INACTIVE_POOL, "off.qcow2");
    }

    @AfterAll
    void removeEverything() throws IOException {
        if (mine != null) {
            mine.close();
        }
        if (theirs != null) {
            theirs.close();
        }
        virshQuietly("pool-destroy", pool);
        virshQuietly("pool-undefine", offPool);
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void attaching_and_inserting_follow_who_owns_the_volume() throws Exception {
        var differences = new ArrayList<String>();
        for (var row : TABLE.entrySet()) {
            var person = row.getKey();
            grant(mineRef, person, true);
            try {
                for (var act : List.of(Act.ATTACH, Act.INSERT)) {
                    var expected = cells(row.getValue().get(act));
                    for (var kind : Kind.values()) {
                        String actual = act == Act.ATTACH ? attach(person, kind) : insert(person, kind);
                        if (!actual.equals(expected[kind.ordinal()])) {
                            differences.add(person.username() + " " + act + " " + kind + ": expected "
                                    + expected[kind.ordinal()] + ", got " + actual);
                        }
                    }
                }
            } finally {
                grant(mineRef, person, false);
            }
        }
        assertThat(differences).as("cells that differ from the table").isEmpty();
    }

    @Test
    void deleting_a_vm_with_its_disks_deletes_only_its_own_unused_volumes() throws Exception {
        var differences = new ArrayList<String>();
        for (var row : TABLE.entrySet()) {
            var person = row.getKey();
            var expected = cells(row.getValue().get(Act.DELETE));
            for (var kind : Kind.values()) {
                String actual = deleteWith(person, kind);
                if (!actual.equals(expected[kind.ordinal()])) {
                    differences.add(person.username() + " DELETE " + kind + ": expected " + expected[kind.ordinal()]
                            + ", got " + actual);
                }
            }
        }
        assertThat(differences).as("cells that differ from the table").isEmpty();
        assertThat(poolVolumes())
                .as("the shared fixtures are all still there")
                .contains(
                        "theirs-disk.qcow2",
                        "theirs-old.qcow2",
                        "base.qcow2",
                        "linked.qcow2",
                        "upload.iso",
                        "published.iso",
                        "free.qcow2");
    }

    // ---- one cell each ----

    private String attach(Person person, Kind kind) {
        String volume = volumes.get(kind);
        String chosenPool = kind == Kind.INACTIVE_POOL ? offPool : pool;
        String before = virsh("domblklist", mine.name());
        var outcome = attempt(
                person,
                () -> editing.attachDisk(mineRef, chosenPool, volume, "virtio").join());
        String after = virsh("domblklist", mine.name());
        if (outcome.equals("Y")) {
            assertThat(after).as(person + " attached " + volume).contains(volume);
            var target = after.lines()
                    .filter(line -> line.contains(volume) && !before.contains(line))
                    .findFirst()
                    .orElseThrow()
                    .strip()
                    .split("\\s+")[0];
            virsh("detach-disk", mine.name(), target, "--config");
        } else {
            assertThat(after).as("a refusal changes nothing").isEqualTo(before);
        }
        return outcome;
    }

    private String insert(Person person, Kind kind) {
        String volume = volumes.get(kind);
        String chosenPool = kind == Kind.INACTIVE_POOL ? offPool : pool;
        String before = virsh("domblklist", mine.name());
        var outcome = attempt(
                person,
                () -> editing.insertMedia(mineRef, "sda", chosenPool, volume).join());
        String after = virsh("domblklist", mine.name());
        if (outcome.equals("Y")) {
            assertThat(after).as(person + " inserted " + volume).containsPattern("sda\\s+\\S*" + volume);
            virsh("change-media", mine.name(), "sda", "--eject", "--config");
        } else {
            assertThat(after).as("a refusal changes nothing").isEqualTo(before);
        }
        return outcome;
    }

    /**
     * Defines a VM of the person's (at their level) that holds the volume as an admin could have attached it,
     * deletes it "with its disks" as the person, and answers whether the volume is gone.
     */
    private String deleteWith(Person person, Kind kind) throws Exception {
        String name = "kp-vo-del-" + UUID.randomUUID().toString().substring(0, 8);
        var uuid = UUID.randomUUID();
        var ref = new DomainRef(HOST, uuid);
        String volume = switch (kind) {
            case OWN_DISK, OWN_DETACHED -> fresh("own");
            case ADMIN_FREE -> {
                String free = "free-" + UUID.randomUUID().toString().substring(0, 8) + ".qcow2";
                as(
                        "vo-admin",
                        "ADMIN",
                        () -> storage.createVolume(HOST, pool, free, VolumeFormat.QCOW2, 1L)
                                .join());
                yield free;
            }
            default -> volumes.get(kind);
        };
        String disk = switch (kind) {
            case OWN_DETACHED -> "";
            case ADMIN_UPLOAD, PUBLISHED_ISO -> """
                    <disk type='volume' device='cdrom'><source pool='%s' volume='%s'/>\
                    <target dev='sda' bus='sata'/><readonly/></disk>""".formatted(pool, volume);
            case INACTIVE_POOL ->
                "<disk type='file' device='disk'><source file='%s'/><target dev='vda'/></disk>"
                        .formatted(dir.resolve("off").resolve(volume));
            default -> """
                    <disk type='volume' device='disk'><source pool='%s' volume='%s'/>\
                    <target dev='vda' bus='virtio'/></disk>""".formatted(pool, volume);
        };
        Path xml = dir.resolve(name + ".xml");
        Files.writeString(xml, """
                <domain type='qemu'><name>%s</name><uuid>%s</uuid><memory unit='MiB'>64</memory>
                <os><type arch='x86_64' machine='pc'>hvm</type></os><devices>%s</devices></domain>
                """.formatted(name, uuid, disk));
        virsh("define", xml.toString());
        try {
            awaitListed(ref);
            if (kind == Kind.OWN_DISK || kind == Kind.OWN_DETACHED) {
                owners.giveToVm(new VolumeId(HOST, pool, volume), ref, "test");
            }
            grant(ref, person, true);
            var outcome = attempt(person, () -> removal.delete(ref, true).join());
            boolean mayDelete = person.role().equals("ADMIN") || person.level() == VmAccessLevel.MANAGE;
            assertThat(outcome).as(person + " deletes " + name).isEqualTo(mayDelete ? "Y" : "-");
            assertThat(virsh("list", "--all", "--name").lines().anyMatch(name::equals))
                    .as(name + " still defined")
                    .isEqualTo(!mayDelete);
            boolean gone = !(kind == Kind.INACTIVE_POOL ? offPoolVolumes() : poolVolumes()).contains(volume);
            if (mayDelete && (kind == Kind.OWN_DISK || kind == Kind.OWN_DETACHED)) {
                assertThat(owners.of(new VolumeId(HOST, pool, volume)).vm())
                        .as("what a deleted VM leaves becomes the admins'")
                        .isNull();
            }
            return gone ? "Y" : "-";
        } finally {
            virshQuietly("undefine", name);
            grant(ref, person, false);
            if (kind == Kind.OWN_DISK || kind == Kind.OWN_DETACHED || kind == Kind.ADMIN_FREE) {
                virshQuietly("vol-delete", volume, "--pool", pool);
            }
        }
    }

    private String fresh(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + ".qcow2";
        virsh("vol-create-as", pool, name, "16M", "--format", "qcow2");
        return name;
    }

    /** Y when it went through; R or - for a typed refusal. Anything else (a libvirt failure) fails the test. */
    private static String attempt(Person person, Runnable call) {
        try {
            as(person.username(), person.role(), call);
            return "Y";
        } catch (RuntimeException e) {
            var cause = Failures.causeOf(e);
            if (cause instanceof VolumeRefusedException) {
                return "R";
            }
            assertThat(cause)
                    .as(person.username() + ": a refusal is typed")
                    .isInstanceOfAny(VmEditException.class, VmActionException.class);
            return "-";
        }
    }

    // ---- the host and the database ----

    private void upload(String name) {
        byte[] image = DiscImages.iso9660(4 * 1024);
        storage.uploadIso(HOST, pool, name, image.length, new ByteArrayInputStream(image), bytes -> {});
    }

    private List<String> poolVolumes() {
        return volumeNames(virsh("vol-list", pool));
    }

    /** The inactive pool is started just to look, and stopped again. */
    private List<String> offPoolVolumes() {
        virsh("pool-start", offPool);
        try {
            return volumeNames(virsh("vol-list", offPool));
        } finally {
            virsh("pool-destroy", offPool);
        }
    }

    private static List<String> volumeNames(String list) {
        return list.lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .map(line -> line.split("\\s+")[0])
                .toList();
    }

    /** Gives (or withdraws) the person's level on the VM; help desk supports it through bob's VIEW grant. */
    private void grant(DomainRef vm, Person person, boolean on) {
        if (person.role().equals("HELPDESK")) {
            grant(vm, "vo-bob", on ? VmAccessLevel.VIEW : null, false);
        } else if (person.level() != null) {
            grant(
                    vm,
                    person.viaGroup() ? "vo-class" : person.username(),
                    on ? person.level() : null,
                    person.viaGroup());
        }
    }

    private void grant(DomainRef vm, String grantee, VmAccessLevel level, boolean group) {
        String table = group ? "vm_group_grant" : "vm_user_grant";
        String column = group ? "group_id" : "user_id";
        String source = group
                ? "select id from app_group where name = :name"
                : "select id from app_user where username = :name";
        jdbc.sql("delete from " + table + " where host = :host and vm_uuid = :uuid and " + column + " = (" + source
                        + ")")
                .param("host", vm.host())
                .param("uuid", vm.uuid())
                .param("name", grantee)
                .update();
        if (level != null) {
            jdbc.sql("insert into " + table + " (host, vm_uuid, " + column + ", level, granted_by, granted_at) select"
                            + " :host, :uuid, id, :level, 'test', :now from ("
                            + source + ") grantee")
                    .param("host", vm.host())
                    .param("uuid", vm.uuid())
                    .param("level", level.name())
                    .param("now", OffsetDateTime.now())
                    .param("name", grantee)
                    .update();
        }
    }

    private static String[] cells(String row) {
        return Arrays.stream(row.split(" ")).toArray(String[]::new);
    }

    private void awaitListed(DomainRef ref) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (hypervisor.hosts().getFirst().state() != HostState.CONNECTED
                || hypervisor.domain(ref).isEmpty()) {
            assertThat(System.nanoTime()).as(ref + " listed").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
