package org.ternsweep.driver;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.net.URL;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ternsweep.core.CellSpec;
import org.ternsweep.data.Datasets;
import org.ternsweep.driver.cli.Main;
import org.ternsweep.engine.Network;
import org.ternsweep.models.ModelZoo;
import org.ternsweep.results.SweepReport;
import org.ternsweep.runner.CellRunner;

/**
 * The module rules of docs/architecture.md, checked on the compiled main classes of every module (the
 * driver's test classpath holds them all): dependencies point one way, no package depends on itself
 * through another, Spark stays in the driver and ND4J stays out of the engine, the records and the
 * results.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        // One class per module names the module's classes directory or jar; importing only those keeps
        // ArchUnit from scanning Spark's and ND4J's jars for the package.
        List<URL> modules = Stream.of(CellSpec.class, Network.class, Datasets.class, ModelZoo.class,
                        CellRunner.class, SweepReport.class, Main.class)
                .map(c -> c.getProtectionDomain().getCodeSource().getLocation())
                .toList();
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importUrls(modules);
        assertTrue(classes.size() > 200, "imported " + classes.size() + " classes from " + modules);
    }

    @Test
    void modulesDependOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("core").definedBy("org.ternsweep.core..", "org.ternsweep.catalog..")
                .layer("engine").definedBy("org.ternsweep.engine..")
                .layer("data").definedBy("org.ternsweep.data..")
                .layer("models").definedBy("org.ternsweep.models..")
                .layer("executors").definedBy("org.ternsweep.quant..", "org.ternsweep.methods..",
                        "org.ternsweep.runner..")
                .layer("results").definedBy("org.ternsweep.results..")
                .layer("driver").definedBy("org.ternsweep.driver..")
                .whereLayer("driver").mayNotBeAccessedByAnyLayer()
                .whereLayer("results").mayOnlyBeAccessedByLayers("driver")
                .whereLayer("executors").mayOnlyBeAccessedByLayers("driver")
                .whereLayer("models").mayOnlyBeAccessedByLayers("executors", "driver")
                .whereLayer("data").mayOnlyBeAccessedByLayers("models", "executors", "driver")
                .whereLayer("engine").mayOnlyBeAccessedByLayers("models", "executors", "driver")
                .check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching("org.ternsweep.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void sparkOnlyInTheDriver() {
        noClasses().that().resideOutsideOfPackage("org.ternsweep.driver..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.spark..")
                .check(classes);
    }

    @Test
    void nd4jStaysOutOfTheEngineTheRecordsAndTheResults() {
        noClasses().that().resideInAnyPackage("org.ternsweep.engine..", "org.ternsweep.core..",
                        "org.ternsweep.catalog..", "org.ternsweep.results..")
                .should().dependOnClassesThat().resideInAnyPackage("org.nd4j..", "org.deeplearning4j..")
                .check(classes);
    }
}
