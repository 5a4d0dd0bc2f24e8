package org.kvmportal.storage;

import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;

/** The volume owner store on the embedded default database. */
@DataJpaTest
class VolumeOwnersH2Test extends VolumeOwnersContract {}
