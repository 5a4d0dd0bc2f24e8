package org.kvmportal.vm;

import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;

/** The grant store on the embedded default database. */
@DataJpaTest
class VmGrantsH2Test extends VmGrantsContract {}
