package dev.vqclip;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The package tree is the architecture (DESIGN.md §2); these rules keep it so. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.vqclip");
    }

    @Test
    void onlyTheEngineAndItsBenchmarksTouchDjl() {
        noClasses().that().resideOutsideOfPackages("dev.vqclip.engine..", "dev.vqclip.bench.engine..",
                        "dev.vqclip.bench.parity..")
                .should().dependOnClassesThat().resideInAPackage("ai.djl..")
                .check(classes);
    }

    @Test
    void onlyTheStoreTouchesJdbc() {
        noClasses().that().resideOutsideOfPackage("dev.vqclip.store..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "com.zaxxer..",
                        "org.flywaydb..", "org.h2..", "org.postgresql..")
                .check(classes);
    }

    @Test
    void onlyTheDiscordAdapterTouchesJda() {
        noClasses().that().resideOutsideOfPackage("dev.vqclip.discord..")
                .should().dependOnClassesThat().resideInAPackage("net.dv8tion..")
                .check(classes);
    }

    @Test
    void onlyTheWebAdapterTouchesTheWebServerTemplatesAndMetrics() {
        noClasses().that().resideOutsideOfPackage("dev.vqclip.web..")
                .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "gg.jte..", "io.micrometer..",
                        "io.prometheus..", "org.eclipse.jetty..", "jakarta.servlet..")
                .check(classes);
    }

    @Test
    void theWebAdapterReadsThroughTheJobLayer() {
        noClasses().that().resideInAPackage("dev.vqclip.web..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.vqclip.store..", "dev.vqclip.engine..",
                        "dev.vqclip.provenance..", "dev.vqclip.discord..", "dev.vqclip.twitter..", "java.sql..")
                .check(classes);
    }

    @Test
    void onlyAdaptersAndModelDownloadsUseHttpClients() {
        noClasses().that().resideOutsideOfPackages("dev.vqclip.discord..", "dev.vqclip.twitter..", "dev.vqclip.web..",
                        "dev.vqclip.engine.weights.catalog..")
                .should().dependOnClassesThat().resideInAnyPackage("java.net.http..", "com.sun.net.httpserver..")
                .check(classes);
    }

    @Test
    void promptAndProvenanceStandAlone() {
        noClasses().that().resideInAPackage("dev.vqclip.prompt..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.vqclip.engine..", "dev.vqclip.job..",
                        "dev.vqclip.store..", "dev.vqclip.provenance..", "dev.vqclip.cli..", "dev.vqclip.app..",
                        "dev.vqclip.discord..", "dev.vqclip.twitter..", "dev.vqclip.web..", "dev.vqclip.contest..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.vqclip.provenance..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.vqclip.engine..", "dev.vqclip.job..",
                        "dev.vqclip.store..", "dev.vqclip.prompt..", "dev.vqclip.app..",
                        "dev.vqclip.discord..", "dev.vqclip.twitter..", "dev.vqclip.web..", "dev.vqclip.contest..")
                .check(classes);
    }

    @Test
    void theEngineDependsOnlyOnPrompts() {
        noClasses().that().resideInAPackage("dev.vqclip.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.vqclip.job..", "dev.vqclip.store..",
                        "dev.vqclip.provenance..", "dev.vqclip.cli..", "dev.vqclip.app..", "dev.vqclip.discord..",
                        "dev.vqclip.twitter..", "dev.vqclip.web..", "dev.vqclip.contest..")
                .check(classes);
    }

    @Test
    void jobsSeeOnlyTheEnginesPublicSurface() {
        noClasses().that().resideInAnyPackage("dev.vqclip.job..", "dev.vqclip.contest..", "dev.vqclip.store..",
                        "dev.vqclip.discord..", "dev.vqclip.twitter..", "dev.vqclip.web..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.vqclip.engine.vqgan..", "dev.vqclip.engine.clip..",
                        "dev.vqclip.engine.weights..", "dev.vqclip.engine.optimize..")
                .check(classes);
    }

    /** Benchmarks and fixture checks are tools: only the commands that run them may see them. */
    @Test
    void theProductNeverImportsTheBenchmarks() {
        noClasses().that().resideOutsideOfPackages("dev.vqclip.bench..", "dev.vqclip.cli..")
                .should().dependOnClassesThat().resideInAPackage("dev.vqclip.bench..")
                .check(classes);
    }

    @Test
    void nothingDependsOnTheCompositionRoot() {
        noClasses().that().resideOutsideOfPackages("dev.vqclip.cli..", "dev.vqclip.app..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.vqclip.cli..", "dev.vqclip.app..")
                .check(classes);
    }

    @Test
    void commandsOnlyParseFlagsAndLeaveBuildingTheStoreToTheCompositionRoot() {
        noClasses().that().resideInAPackage("dev.vqclip.cli..")
                .should().dependOnClassesThat().resideInAPackage("dev.vqclip.store..")
                .because("app is the one place that builds store objects (StoreFactory)")
                .check(classes);
        noClasses().that().resideInAPackage("dev.vqclip.app..")
                .should().dependOnClassesThat().resideInAPackage("dev.vqclip.cli..")
                .because("the commands call the composition root, never the other way round")
                .check(classes);
    }

    @Test
    void adaptersDoNotReachIntoTheStore() {
        noClasses().that().resideInAnyPackage("dev.vqclip.discord..", "dev.vqclip.twitter..", "dev.vqclip.web..",
                        "dev.vqclip.job..", "dev.vqclip.contest..")
                .should().dependOnClassesThat().resideInAPackage("dev.vqclip.store..")
                .check(classes);
    }

    @Test
    void thePackagesFormNoCycles() {
        slices().matching("dev.vqclip.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theEngineSubpackagesFormNoCycles() {
        slices().matching("dev.vqclip.engine.(*)..").should().beFreeOfCycles().check(classes);
    }

    /** The layers are plain tensor math over DJL, reusable by any model without dragging the project along. */
    @Test
    void theNeuralNetworkLayersImportNothingOfTheProject() {
        noClasses().that().resideInAPackage("dev.vqclip.engine.nn..")
                .should().dependOnClassesThat(resideInAPackage("dev.vqclip..")
                        .and(resideOutsideOfPackage("dev.vqclip.engine.nn..")))
                .check(classes);
    }
}
