package layerlab.kernel.exec;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The kernel's Java agent ({@code -javaagent:layerlab-kernel.jar}, written into the kernelspec):
 * makes {@code Runtime.exit} and {@code Runtime.halt} ask the kernel first ({@link ExitGuard}),
 * so that every exit of the JVM from Java code — {@code System.exit} in a cell, through
 * reflection or a method reference, in another thread or inside a library — can be refused.
 * This stands in for the SecurityManager's {@code checkExit}, which JDK 24 removed, and works
 * the same on JDK 17 to 25.
 *
 * <p>{@code java.lang.Runtime} can call only what its own module reads, so the gate it calls is
 * a small class defined in {@code java.lang} itself, {@value #GATE_NAME}: one static field
 * holding the kernel's decision and one method calling it. Then the first line of
 * {@code exit(int)} and {@code halt(int)} becomes {@code LayerlabExitGate.check("exit", status)}.
 * Defining it needs {@code java.lang} opened to this jar's (unnamed) module — not to the cells,
 * whose classes JShell loads in a loader of their own.
 *
 * <p>If a step fails (a future JDK this ASM cannot read), the agent logs why and leaves
 * {@code Runtime} alone; the kernel then at least says in the cell that its process is ending.
 */
public final class ExitAgent {
    private static final Logger LOG = Logger.getLogger(ExitAgent.class.getName());
    static final String GATE_NAME = "java.lang.LayerlabExitGate";
    private static final String GATE = GATE_NAME.replace('.', '/');
    private static final String DECISION = "Ljava/util/function/ObjIntConsumer;";
    private static volatile Class<?> gate;

    private ExitAgent() {}

    public static void premain(String args, Instrumentation inst) {
        try {
            Module javaBase = Runtime.class.getModule();
            inst.redefineModule(javaBase, Set.of(), Map.of(), Map.of("java.lang", Set.of(ExitAgent.class.getModule())),
                    Set.of(), Map.of());
            Class<?> defined = MethodHandles.privateLookupIn(Runtime.class, MethodHandles.lookup()).defineClass(gateClass());
            inst.addTransformer(new Weaver(), true);
            inst.retransformClasses(Runtime.class);
            gate = defined;
        } catch (Exception | LinkageError e) {
            LOG.log(Level.WARNING, "exit guard not installed: System.exit in a cell will end the kernel", e);
        }
    }

    /** The gate that Runtime.exit and Runtime.halt call, or null when the agent did not run or failed. */
    static Class<?> gate() {
        return gate;
    }

    /**
     * {@code public final class LayerlabExitGate { public static volatile ObjIntConsumer<String> decision;
     * public static void check(String call, int status) { var d = decision; if (d != null) d.accept(call, status); } }}
     */
    private static byte[] gateClass() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                return "java/lang/Object"; // never needed here; loading classes from an agent is not wanted
            }
        };
        cw.visit(Opcodes.V11, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, GATE, null, "java/lang/Object", null);
        cw.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_VOLATILE, "decision", DECISION, null, null).visitEnd();
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "check", "(Ljava/lang/String;I)V", null, null);
        mv.visitCode();
        mv.visitFieldInsn(Opcodes.GETSTATIC, GATE, "decision", DECISION);
        mv.visitVarInsn(Opcodes.ASTORE, 2);
        mv.visitVarInsn(Opcodes.ALOAD, 2);
        Label none = new Label();
        mv.visitJumpInsn(Opcodes.IFNULL, none);
        mv.visitVarInsn(Opcodes.ALOAD, 2);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, "java/util/function/ObjIntConsumer", "accept", "(Ljava/lang/Object;I)V", true);
        mv.visitLabel(none);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** Rewrites java.lang.Runtime: exit(int) and halt(int) start with the gate's check. */
    private static final class Weaver implements ClassFileTransformer {
        @Override
        public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
                                ProtectionDomain domain, byte[] bytes) {
            if (!"java/lang/Runtime".equals(name)) {
                return null;
            }
            try {
                ClassReader reader = new ClassReader(bytes);
                ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
                reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
                    @Override
                    public MethodVisitor visitMethod(int access, String method, String descriptor, String signature,
                                                     String[] exceptions) {
                        MethodVisitor mv = super.visitMethod(access, method, descriptor, signature, exceptions);
                        boolean gated = "(I)V".equals(descriptor) && (method.equals("exit") || method.equals("halt"));
                        return gated ? new GateCall(mv, method) : mv;
                    }
                }, 0);
                return writer.toByteArray();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "exit guard: could not rewrite java.lang.Runtime", e);
                return null;
            }
        }
    }

    /** {@code LayerlabExitGate.check("exit", status);} as the first statement (no branch, so no new frame). */
    private static final class GateCall extends MethodVisitor {
        private final String call;

        GateCall(MethodVisitor mv, String call) {
            super(Opcodes.ASM9, mv);
            this.call = call;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            super.visitLdcInsn(call);
            super.visitVarInsn(Opcodes.ILOAD, 1);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, GATE, "check", "(Ljava/lang/String;I)V", false);
        }
    }
}
