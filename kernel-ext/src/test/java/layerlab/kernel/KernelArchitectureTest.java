package layerlab.kernel;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The kernel laid out by its jobs: wire (protocol, dispatch, replies) knows nothing of the lab;
 * exec (JShell, streams, errors) and magic (one class per magic) know nothing of the kernel that
 * wires them together; the views (their own Maven module) know no kernel at all.
 */
@AnalyzeClasses(packages = {"layerlab.kernel", "layerlab.view"}, importOptions = ImportOption.DoNotIncludeTests.class)
class KernelArchitectureTest {
    @ArchTest
    static final ArchRule wireKnowsOnlyTheProtocol = noClasses()
            .that().resideInAPackage("layerlab.kernel.wire..")
            .should().dependOnClassesThat().resideOutsideOfPackages("layerlab.kernel.wire..", "java..", "javax..",
                    "com.google.gson..", "org.zeromq..", "io.github.spencerpark.jupyter.kernel..")
            .because("the protocol layer can be read, tested and replaced without the rest of the kernel");

    @ArchTest
    static final ArchRule execAndMagicDoNotKnowTheKernel = noClasses()
            .that().resideInAnyPackage("layerlab.kernel.exec..", "layerlab.kernel.magic..")
            .should().dependOnClassesThat().resideInAPackage("layerlab.kernel")
            .because("LabKernel wires exec and magic together; they reach it only through interfaces");

    @ArchTest
    static final ArchRule magicsDoNotTalkTheProtocol = noClasses()
            .that().resideInAPackage("layerlab.kernel.magic..")
            .should().dependOnClassesThat().resideInAPackage("layerlab.kernel.wire..")
            .because("a magic prints or returns a value; sending it is the kernel's job");

    @ArchTest
    static final ArchRule viewsKnowNoKernel = noClasses()
            .that().resideInAPackage("layerlab.view..")
            .should().dependOnClassesThat().resideInAPackage("layerlab.kernel..")
            .because("the views are a module of their own: a grader or a plain program renders without a kernel");

    @ArchTest
    static final ArchRule noCyclesBetweenTheKernelsPackages = slices()
            .matching("layerlab.kernel.(*)..")
            .should().beFreeOfCycles();
}
