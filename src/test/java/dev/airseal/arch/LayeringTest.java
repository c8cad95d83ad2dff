package dev.airseal.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dependency direction of docs/architecture.md, checked on every build. */
class LayeringTest {
  private static JavaClasses classes;

  @BeforeAll
  static void load() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.airseal");
  }

  @Test
  void logCore_isPureJava() {
    noClasses()
        .that()
        .resideInAPackage("dev.airseal.log..")
        .and()
        .resideOutsideOfPackage("dev.airseal.log.rekor")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.quarkus..", "jakarta..", "io.vertx..", "org.jboss.resteasy..", "io.micrometer..")
        .check(classes);
  }

  @Test
  void onlyTheStorePackagesTalkJdbc() {
    noClasses()
        .that()
        .resideInAPackage("dev.airseal..")
        .and()
        // The benchmark bulk-loads proof trees straight into the tables it measures.
        .resideOutsideOfPackages("dev.airseal.log.store..", "dev.airseal.store..", "dev.airseal.bench..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.sql..")
        .check(classes);
  }

  @Test
  void onlyTheAwsKmsPackageTalksToTheAwsSdk() {
    noClasses()
        .that()
        .resideInAPackage("dev.airseal..")
        .and()
        .resideOutsideOfPackage("dev.airseal.signing.awskms")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("software.amazon.awssdk..")
        .check(classes);
  }

  @Test
  void lowerLayers_doNotReachUp() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.airseal.log..", "dev.airseal.signing..", "dev.airseal.crypto..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.airseal.cli..", "dev.airseal.api..")
        .check(classes);
    // Keys sit below the log (the log signs with them); only the cosign-format signing services,
    // which log what they sign, sit above it.
    noClasses()
        .that()
        .resideInAnyPackage("dev.airseal.signing..", "dev.airseal.crypto..")
        .and()
        .resideOutsideOfPackage("dev.airseal.signing.cosign..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.airseal.log..")
        .check(classes);
  }

  @Test
  void bundleCore_hasNoQuarkusServerOrLogInternals() {
    // The reader and importer are pure: the service shell wires them to the log and the trust root.
    noClasses()
        .that()
        .resideInAPackage("dev.airseal.bundle")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.quarkus..", "jakarta..", "io.vertx..", "dev.airseal.log..", "dev.airseal.cli..",
            "dev.airseal.api..", "dev.airseal.trust.service..", "dev.airseal.policy..", "dev.airseal.admission..")
        .check(classes);
  }
}
