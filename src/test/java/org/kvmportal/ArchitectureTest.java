package org.kvmportal;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * The module boundaries, enforced. A feature is a package under {@code org.kvmportal}; its root package is
 * its public face, its subpackages ({@code ui}, {@code internal}) are private to it.
 */
@AnalyzeClasses(packages = "org.kvmportal", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String ROOT = "org.kvmportal";
    /** The shared kernel: every feature may use all of it, its ui package (layout, live updates) included. */
    private static final String SHARED = "base";

    @ArchTest
    static final ArchRule only_the_hypervisor_package_touches_libvirt_or_jna = noClasses()
            .that()
            .resideOutsideOfPackage(ROOT + ".hypervisor.internal..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.libvirt..", "com.sun.jna..")
            .because("libvirt-java and JNA are wrapped by the hypervisor layer and must not leak out of it");

    @ArchTest
    static final ArchRule features_do_not_depend_on_each_other_in_cycles =
            slices().matching(ROOT + ".(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule a_features_subpackages_are_private_to_it =
            classes().that().resideInAPackage(ROOT + "..").should(onlyUseOtherFeaturesThroughTheirRootPackage());

    @ArchTest
    static final ArchRule views_are_not_used_outside_their_ui_package = noClasses()
            .that()
            .resideOutsideOfPackages(ROOT + "..ui..", ROOT + ".access..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage(ROOT + "..ui..")
            .because("views are entered through routes, not called; the login view is wired into security");

    private static ArchCondition<JavaClass> onlyUseOtherFeaturesThroughTheirRootPackage() {
        return new ArchCondition<>("use other features only through their root package") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                    var target = dependency.getTargetClass();
                    String targetFeature = feature(target.getPackageName());
                    if (targetFeature == null
                            || targetFeature.equals(SHARED)
                            || targetFeature.equals(feature(origin.getPackageName()))) {
                        continue;
                    }
                    boolean intoSubpackage = !target.getPackageName().equals(ROOT + "." + targetFeature);
                    if (intoSubpackage) {
                        events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                    }
                }
            }
        };
    }

    /** The feature a package belongs to ({@code vm} for {@code org.kvmportal.vm.ui}), or null outside any. */
    private static String feature(String packageName) {
        if (!packageName.startsWith(ROOT + ".")) {
            return null;
        }
        String rest = packageName.substring(ROOT.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }
}
