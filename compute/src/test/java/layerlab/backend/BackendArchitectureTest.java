package layerlab.backend;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** A backend does not leak into the layers: only layerlab.backend.opencl may touch JOCL. */
@AnalyzeClasses(packages = "layerlab", importOptions = ImportOption.DoNotIncludeTests.class)
class BackendArchitectureTest {
    @ArchTest
    static final ArchRule onlyTheOpenClBackendImportsJocl = noClasses()
            .that().resideOutsideOfPackage("layerlab.backend.opencl..")
            .should().dependOnClassesThat().resideInAPackage("org.jocl..")
            .because("DESIGN.md §2: org.jocl may be imported only under layerlab.backend.opencl");
}
