package dev.dspy4j;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.stream.Stream;

/**
 * The package layering of core, as docs/architecture.md ("Packages and layering") describes it.
 * Each layer may use the layers named for it and nothing else in core; JDK and library classes are
 * not checked. A new dependency between packages is a design change: change this test and that
 * section together.
 */
@AnalyzeClasses(packages = "dev.dspy4j", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String[] BASE = {"Root", "Internal", "Signature", "Data", "Lm", "Tool", "Media"};

    @ArchTest
    static final ArchRule packagesDependOnEachOtherWithoutCycles = slices().matching("dev.dspy4j.(**)")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule eachPackageUsesOnlyTheLayersBelowIt = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("Root").definedBy("dev.dspy4j")
            .layer("Internal").definedBy("dev.dspy4j.internal..")
            .layer("Signature").definedBy("dev.dspy4j.signature..")
            .layer("Data").definedBy("dev.dspy4j.data..")
            .layer("Lm").definedBy("dev.dspy4j.lm..")
            .layer("Tool").definedBy("dev.dspy4j.tool..")
            .layer("Media").definedBy("dev.dspy4j.media..")
            .layer("Cache").definedBy("dev.dspy4j.cache..")
            .layer("Usage").definedBy("dev.dspy4j.usage..")
            .layer("Trace").definedBy("dev.dspy4j.trace..")
            .layer("ProviderHttp").definedBy("dev.dspy4j.provider.http..")
            .layer("Provider").definedBy("dev.dspy4j.provider")
            .layer("Retrieve").definedBy("dev.dspy4j.retrieve..")
            .layer("Adapter").definedBy("dev.dspy4j.adapter..")
            .layer("Context").definedBy("dev.dspy4j.context..")
            .layer("Run").definedBy("dev.dspy4j.run..")
            .layer("Module").definedBy("dev.dspy4j.module..")
            .layer("Export").definedBy("dev.dspy4j.export..")
            .layer("Streaming").definedBy("dev.dspy4j.streaming..")

            .whereLayer("Root").mayNotAccessAnyLayer()
            .whereLayer("Internal").mayOnlyAccessLayers(BASE)
            .whereLayer("Signature").mayOnlyAccessLayers(BASE)
            .whereLayer("Data").mayOnlyAccessLayers(BASE)
            .whereLayer("Lm").mayOnlyAccessLayers(BASE)
            .whereLayer("Tool").mayOnlyAccessLayers(BASE)
            .whereLayer("Media").mayOnlyAccessLayers(BASE)
            .whereLayer("Cache").mayOnlyAccessLayers(BASE)
            .whereLayer("Usage").mayOnlyAccessLayers(BASE)
            .whereLayer("Trace").mayOnlyAccessLayers(with(BASE, "Usage"))
            .whereLayer("ProviderHttp").mayOnlyAccessLayers(BASE)
            .whereLayer("ProviderHttp").mayOnlyBeAccessedByLayers("Provider")
            .whereLayer("Provider").mayOnlyAccessLayers(with(BASE, "Cache", "ProviderHttp"))
            .whereLayer("Adapter").mayOnlyAccessLayers(with(BASE, "Trace"))
            .whereLayer("Retrieve").mayOnlyAccessLayers(with(BASE, "Cache"))
            .whereLayer("Context").mayOnlyAccessLayers(with(BASE, "Adapter", "Trace", "Retrieve"))
            .whereLayer("Run").mayOnlyAccessLayers(with(BASE, "Context", "Trace"))
            .whereLayer("Module").mayOnlyBeAccessedByLayers("Export", "Streaming")
            .whereLayer("Export").mayOnlyAccessLayers(with(BASE, "Adapter", "Context", "Module", "Provider"))
            .whereLayer("Export").mayNotBeAccessedByAnyLayer()
            .whereLayer("Streaming").mayOnlyAccessLayers(with(BASE, "Adapter", "Context", "Module", "Trace"))
            .whereLayer("Streaming").mayNotBeAccessedByAnyLayer();

    private static String[] with(String[] base, String... more) {
        return Stream.concat(Stream.of(base), Stream.of(more)).toArray(String[]::new);
    }
}
