package layerlab.backend;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * A backend does not leak into the layers, and the way from a layer to its loops runs one way:
 * layers → the backend SPI → a backend → its loops; never back.
 */
@AnalyzeClasses(packages = "layerlab", importOptions = ImportOption.DoNotIncludeTests.class)
class BackendArchitectureTest {
    @ArchTest
    static final ArchRule onlyTheOpenClBackendImportsJocl = noClasses()
            .that().resideOutsideOfPackage("layerlab.backend.opencl..")
            .should().dependOnClassesThat().resideInAPackage("org.jocl..")
            .because("DESIGN.md §2: org.jocl may be imported only under layerlab.backend.opencl");

    @ArchTest
    static final ArchRule layersKnowOnlyTheSpi = noClasses()
            .that().resideInAnyPackage("layerlab.nn..", "layerlab.optim..", "layerlab.data..", "layerlab.check..")
            .should().dependOnClassesThat().resideInAnyPackage("layerlab.backend.cpu..", "layerlab.backend.opencl..")
            .because("a layer calls Backends.of(x) and the Backend interface; which loop runs is the backend's choice");

    @ArchTest
    static final ArchRule tensorsKnowNoBackend = noClasses()
            .that().resideInAPackage("layerlab.tensor..")
            .should().dependOnClassesThat().resideInAPackage("layerlab.backend..")
            .because("Tensor finds device memory through DeviceMemory.Registry: no Tensor ↔ Backends cycle");

    @ArchTest
    static final ArchRule theSpiKnowsNoBackend = noClasses()
            .that().resideInAPackage("layerlab.backend")
            .should().dependOnClassesThat().resideInAnyPackage("layerlab.backend.cpu..", "layerlab.backend.opencl..")
            .because("backends are found with ServiceLoader; a TornadoVM one would be one more module");

    @ArchTest
    static final ArchRule referenceLoopsKnowNoFastPath = noClasses()
            .that().haveSimpleNameEndingWith("Kernels").or().haveSimpleNameEndingWith("Kernels64")
            .should().dependOnClassesThat().resideInAPackage("layerlab.backend.cpu.vec..")
            .orShould().dependOnClassesThat().haveSimpleName("Simd")
            .orShould().dependOnClassesThat().haveSimpleName("CpuBackend")
            .because("STYLE.md 5: the readable loop knows nothing of the fast one; CpuBackend picks");

    @ArchTest
    static final ArchRule noCyclesBetweenTopLevelPackages = slices().matching("layerlab.(*)..").should().beFreeOfCycles()
            .because("tensor ← backend ← nn ← optim, check: each package builds on the ones before it");
}
