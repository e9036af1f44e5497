package kata.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * A kata's API allow-list, checked on compiled classes: which classes and members of the JDK the
 * kata's code may use. The grader runs it on the submission's classes before any of them runs,
 * and {@code AllowedApiTest} runs it in the learner's {@code ./kata test NAME}: one
 * implementation, the same messages at both ends.
 *
 * <p>It reads class files as bytes with ASM and never loads them. JDK classes are read as bytes
 * too (from the platform class loader), only to follow the class hierarchy: a member is judged
 * by the rules of the class that declares it, so a subclass of {@code Thread} or of an exception
 * cannot reach a forbidden member of its JDK superclass.
 *
 * <p>The rule files ({@code katas/support/api-rules.txt}, then {@code katas/NAME/api-rules.txt})
 * describe their own format; in short: blocks of {@code allow:} and {@code forbid WHAT:}
 * patterns ({@code java.util.**}, {@code java.lang.Thread}, {@code java.lang.Thread#getStackTrace},
 * {@code java.io.PrintStream#<init>(java.lang.String*)}), the last matching pattern decides,
 * nothing matching means not allowed.
 */
public final class ApiRules {
    /** The name of a rule file: katas/support/api-rules.txt (defaults), katas/NAME/api-rules.txt (the kata's). */
    public static final String FILE_NAME = "api-rules.txt";

    /** invokedynamic bootstraps that javac uses for lambdas, method references, string concatenation, records and switches. */
    private static final Set<String> BOOTSTRAPS = Set.of(
            "java/lang/invoke/LambdaMetafactory.metafactory", "java/lang/invoke/LambdaMetafactory.altMetafactory",
            "java/lang/invoke/StringConcatFactory.makeConcatWithConstants", "java/lang/invoke/StringConcatFactory.makeConcat",
            "java/lang/runtime/ObjectMethods.bootstrap",
            "java/lang/runtime/SwitchBootstraps.typeSwitch", "java/lang/runtime/SwitchBootstraps.enumSwitch");

    /** One pattern of a rule file. {@code member} null: a class pattern (judges types, and every member of the class). */
    private record Rule(boolean allow, String what, Pattern type, Pattern member, Pattern params, String text, String where) {
        boolean matchesType(String cls) {
            return member == null && type.matcher(cls).matches();
        }

        boolean matchesMember(String cls, String name, String paramList) {
            if (!type.matcher(cls).matches()) return false;
            if (member == null) return true;
            if (!member.matcher(name).matches()) return false;
            return params == null || (paramList != null && params.matcher(paramList).matches());
        }
    }

    /** One use of the API that the rules do not allow. {@link #toString()} is the message. */
    public record Violation(String where, String what, String reason) {
        @Override
        public String toString() {
            return "`" + where + "` " + what + ": " + reason;
        }
    }

    private final List<Rule> rules;
    private final List<String> sources;

    private ApiRules(List<Rule> rules, List<String> sources) {
        this.rules = List.copyOf(rules);
        this.sources = List.copyOf(sources);
    }

    // ------------------------------------------------------------------------------------ rules

    /** The rules of one rule file's text; {@code source} names it in messages (e.g. katas/counter/api-rules.txt). */
    public static ApiRules parse(String text, String source) {
        List<Rule> rules = new ArrayList<>();
        Boolean allow = null;
        String what = null;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String where = source + ":" + (i + 1);
            String line = stripComment(lines[i]).strip();
            if (line.isEmpty()) continue;
            String[] words = line.split("\\s+", 2);
            int colon = headerColon(line);
            if ((words[0].equals("allow") || words[0].startsWith("allow:") || words[0].equals("forbid")) && colon >= 0) {
                allow = line.startsWith("allow");
                what = line.substring(allow ? "allow".length() : "forbid".length(), colon).strip();
                if (!allow && what.isEmpty()) throw new IllegalArgumentException(where + ": `forbid WHAT:` needs a WHAT (it completes \"WHAT is not allowed in this kata\")");
                line = line.substring(colon + 1).strip();
                if (line.isEmpty()) continue;
            } else if (allow == null) {
                throw new IllegalArgumentException(where + ": a pattern before any `allow:` or `forbid WHAT:` line: " + line);
            }
            for (String pattern : line.split("\\s+")) rules.add(rule(allow, what, pattern, where));
        }
        return new ApiRules(rules, List.of(source));
    }

    /** The rules of these files, in order (a later file's patterns win); a file that does not exist is skipped. */
    public static ApiRules load(List<Path> files) throws IOException {
        ApiRules all = new ApiRules(List.of(), List.of());
        for (Path f : files) {
            if (!Files.isRegularFile(f)) continue;
            all = all.then(parse(Files.readString(f, StandardCharsets.UTF_8), displayName(f)));
        }
        if (all.sources.isEmpty()) throw new IOException("no API rule file found among " + files);
        return all;
    }

    /** These rules, then {@code later}'s (whose patterns win). */
    public ApiRules then(ApiRules later) {
        List<Rule> all = new ArrayList<>(rules);
        all.addAll(later.rules);
        List<String> src = new ArrayList<>(sources);
        src.addAll(later.sources);
        return new ApiRules(all, src);
    }

    /** The rule files these rules came from, by their path in the repository (katas/NAME/api-rules.txt). */
    public List<String> sources() {
        return sources;
    }

    /** katas/NAME/api-rules.txt for .../katas/NAME/api-rules.txt: the same name at home and in the grader. */
    static String displayName(Path file) {
        Path p = file.toAbsolutePath().normalize();
        int n = p.getNameCount();
        return n >= 3 ? p.subpath(n - 3, n).toString().replace('\\', '/') : p.toString();
    }

    private static String stripComment(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) return line.substring(0, i);
        }
        return line;
    }

    /** The colon that ends a header: the last one followed by a space or the end of the line (patterns have none), or -1. */
    private static int headerColon(String line) {
        for (int i = line.length() - 1; i >= 0; i--) {
            if (line.charAt(i) == ':' && (i + 1 == line.length() || Character.isWhitespace(line.charAt(i + 1)))) return i;
        }
        return -1;
    }

    private static final Pattern CLASS_PATTERN = Pattern.compile("[\\w$.*]+");
    private static final Pattern MEMBER_PATTERN = Pattern.compile("[\\w$*<>]+");
    private static final Pattern PARAMS_PATTERN = Pattern.compile("[\\w$.*,\\[\\]]*");

    private static Rule rule(boolean allow, String what, String pattern, String where) {
        String cls = pattern;
        String member = null;
        String params = null;
        int hash = pattern.indexOf('#');
        if (hash >= 0) {
            cls = pattern.substring(0, hash);
            member = pattern.substring(hash + 1);
            int open = member.indexOf('(');
            if (open >= 0) {
                if (!member.endsWith(")")) throw new IllegalArgumentException(where + ": unclosed parameter list in " + pattern);
                params = member.substring(open + 1, member.length() - 1);
                member = member.substring(0, open);
            }
        }
        if (!CLASS_PATTERN.matcher(cls).matches() || cls.startsWith(".") || cls.endsWith(".")
                || (member != null && !MEMBER_PATTERN.matcher(member).matches())
                || (params != null && !PARAMS_PATTERN.matcher(params).matches())) {
            throw new IllegalArgumentException(where + ": not a pattern: " + pattern
                    + " (expected a.b.Class, a.b.*, a.b.**, a.b.Class#member or a.b.Class#method(a.b.Type,int))");
        }
        String typeRegex = glob(cls, true) + (cls.endsWith("**") ? "" : "(\\$.*)?");
        return new Rule(allow, what, Pattern.compile(typeRegex), member == null ? null : Pattern.compile(glob(member, false)),
                params == null ? null : Pattern.compile(glob(params, false)), pattern, where);
    }

    /** A glob as a regex: in class names {@code *} stays within a package, {@code **} does not; elsewhere {@code *} is anything. */
    private static String glob(String g, boolean className) {
        StringBuilder r = new StringBuilder();
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            if (c == '*') {
                if (className && i + 1 < g.length() && g.charAt(i + 1) == '*') {
                    r.append(".*");
                    i++;
                } else {
                    r.append(className ? "[^.]*" : ".*");
                }
            } else {
                r.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return r.toString();
    }

    private Rule forType(String cls) {
        Rule last = null;
        for (Rule r : rules) if (r.matchesType(cls)) last = r;
        return last;
    }

    private Rule forMember(String cls, String name, String params) {
        Rule last = null;
        for (Rule r : rules) if (r.matchesMember(cls, name, params)) last = r;
        return last;
    }

    // ------------------------------------------------------------------------------------ checking

    /** The class files under {@code dir} (recursively), as bytes. */
    public static List<byte[]> classFiles(Path dir) throws IOException {
        List<byte[]> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(f -> f.toString().endsWith(".class") && Files.isRegularFile(f)).sorted().toList()) {
                out.add(Files.readAllBytes(p));
            }
        }
        return out;
    }

    /** Every use of the API in these class files that the rules do not allow, in the order of the classes; none: empty. */
    public List<Violation> check(Collection<byte[]> classFiles) {
        Map<String, ClassInfo> own = new LinkedHashMap<>();
        List<ClassReader> readers = new ArrayList<>();
        for (byte[] bytes : classFiles) {
            ClassReader reader = new ClassReader(bytes);
            readers.add(reader);
            own.put(reader.getClassName(), ClassInfo.of(reader));
        }
        Checking c = new Checking(own);
        readers.sort(java.util.Comparator.comparing(ClassReader::getClassName));
        for (ClassReader reader : readers) reader.accept(c.visitor(), ClassReader.SKIP_FRAMES);
        return new ArrayList<>(c.found.values());
    }

    /** The message for these violations (empty when there are none): the same text in the grader and in AllowedApiTest. */
    public String report(List<Violation> violations) {
        if (violations.isEmpty()) return "";
        StringBuilder m = new StringBuilder("the code uses API that this kata does not allow (the rules: "
                + String.join(", then ", sources) + "; the kata's README says why):\n");
        int shown = 0;
        for (Violation v : violations) {
            if (shown++ == 200) {
                m.append("  ... and ").append(violations.size() - 200).append(" more\n");
                break;
            }
            m.append("  ").append(v).append('\n');
        }
        return m.toString();
    }

    /** Superclass, interfaces and declared members of a class, read from its bytes. */
    private record ClassInfo(String name, String superName, List<String> interfaces, Set<String> methods, Set<String> fields) {
        static ClassInfo of(ClassReader reader) {
            Set<String> methods = new HashSet<>();
            Set<String> fields = new HashSet<>();
            reader.accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    methods.add(name + descriptor);
                    return null;
                }

                @Override
                public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
                    fields.add(name);
                    return null;
                }
            }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            return new ClassInfo(reader.getClassName(), reader.getSuperName(), List.of(reader.getInterfaces()), methods, fields);
        }

        boolean declares(String name, String descriptor, boolean field) {
            return field ? fields.contains(name) : methods.contains(name + descriptor);
        }
    }

    /** One run of the check: the classes being checked, the JDK classes read so far, the violations found. */
    private final class Checking {
        final Map<String, ClassInfo> own;
        final Map<String, ClassInfo> jdk = new HashMap<>();
        final Map<String, Violation> found = new LinkedHashMap<>();

        Checking(Map<String, ClassInfo> own) {
            this.own = own;
        }

        ClassInfo info(String internalName) {
            ClassInfo mine = own.get(internalName);
            if (mine != null) return mine;
            if (jdk.containsKey(internalName)) return jdk.get(internalName);
            ClassInfo info = null;
            try (InputStream in = ClassLoader.getPlatformClassLoader().getResourceAsStream(internalName + ".class")) {
                if (in != null) info = ClassInfo.of(new ClassReader(in.readAllBytes()));
            } catch (IOException | RuntimeException e) {
                info = null; // not a JDK class we can read: judged by its own name only
            }
            jdk.put(internalName, info);
            return info;
        }

        void violation(String where, String what, String reason) {
            Violation v = new Violation(where, what, reason);
            found.putIfAbsent(v.toString(), v);
        }

        /** Why a type may not be used, or null when it may. */
        String typeProblem(String internalName) {
            if (own.containsKey(internalName)) return null;
            String cls = dotted(internalName);
            Rule r = forType(cls);
            if (r == null) return "`" + cls + "` is not on this kata's API allow-list";
            return r.allow() ? null : r.what() + " is not allowed in this kata";
        }

        /** A type (internal name, or a descriptor when {@code descriptor}), primitives and arrays unwrapped. */
        void type(String where, String what, String nameOrDescriptor, boolean descriptor) {
            Type t = descriptor ? Type.getType(nameOrDescriptor) : Type.getObjectType(nameOrDescriptor);
            if (t.getSort() == Type.ARRAY) t = t.getElementType();
            if (t.getSort() != Type.OBJECT) return;
            String problem = typeProblem(t.getInternalName());
            if (problem != null) violation(where, what + " `" + dotted(t.getInternalName()) + "`", problem);
        }

        /** Every type of a method descriptor (parameters and result). */
        void descriptorTypes(String where, String what, String methodDescriptor) {
            for (Type t : Type.getArgumentTypes(methodDescriptor)) type(where, what, t.getDescriptor(), true);
            type(where, what, Type.getReturnType(methodDescriptor).getDescriptor(), true);
        }

        /** A use of a field or method of another class: {@code verb} is "calls", "reads", "writes" or "refers to". */
        void member(String where, String verb, String owner, String name, String descriptor, boolean field) {
            if (owner.startsWith("[")) { // a method of an array (clone): judged as its element type
                type(where, "uses an array of", owner, true);
                return;
            }
            String params = field ? null : params(descriptor);
            boolean ctor = name.equals("<init>");
            String label = dotted(owner) + (ctor ? "(" + params + ")" : "." + name);
            String what = (ctor ? "creates" : verb) + " `" + label + "`";
            if (!own.containsKey(owner)) {
                String problem = typeProblem(owner);
                if (problem != null) {
                    violation(where, ctor ? "creates `" + dotted(owner) + "`" : what, problem);
                    return;
                }
            }
            // Judged at the declaring class first, then at each subclass down to the class named in the code.
            List<String> path = resolution(owner, name, descriptor, field);
            if (path.isEmpty()) return; // declared in the checked classes themselves
            Rule decided = null;
            String at = path.get(0);
            for (String cls : path) {
                Rule r = forMember(dotted(cls), name, params);
                if (r != null) {
                    decided = r;
                    at = cls;
                    break;
                }
            }
            if (own.containsKey(owner)) { // name the JDK member, not the subclass it was inherited by
                label = dotted(at) + (ctor ? "(" + params + ")" : "." + name);
                what = (ctor ? "creates" : verb) + " `" + label + "`";
            }
            if (decided == null) {
                violation(where, what, "`" + label + "` is not on this kata's API allow-list");
            } else if (!decided.allow()) {
                violation(where, what, decided.what() + " is not allowed in this kata");
            } else if (field) {
                type(where, what + ", of type", descriptor, true);
            } else {
                descriptorTypes(where, what + ", which uses", descriptor);
            }
        }

        /**
         * The JDK classes that judge a member, in order: the class that declares it (the JVM's
         * resolution: superclasses, then superinterfaces), then its subclasses down to the class named
         * in the code; the checked classes themselves are left out (empty: the member is their own).
         * Not found: the first JDK class from the one named in the code.
         */
        List<String> resolution(String owner, String name, String descriptor, boolean field) {
            List<String> chain = new ArrayList<>(); // owner, its superclass, ... up to the declaring class
            String declaring = null;
            for (String c = owner; c != null && declaring == null; ) {
                ClassInfo ci = info(c);
                chain.add(c);
                if (ci == null) break;
                if (ci.declares(name, descriptor, field)) declaring = c;
                c = ci.superName();
            }
            String firstJdk = chain.stream().filter(c -> !own.containsKey(c)).findFirst().orElse(null);
            List<String> path = new ArrayList<>();
            if (declaring != null) { // declaring class first, down to the class named in the code
                for (int i = chain.size() - 1; i >= 0; i--) if (!own.containsKey(chain.get(i))) path.add(chain.get(i));
                return path;
            }
            Deque<String> todo = new ArrayDeque<>(); // superinterfaces, breadth first
            Set<String> seen = new HashSet<>();
            for (String c : chain) {
                ClassInfo ci = info(c);
                if (ci != null) todo.addAll(ci.interfaces());
            }
            while (!todo.isEmpty() && declaring == null) {
                String i = todo.poll();
                if (!seen.add(i)) continue;
                ClassInfo ci = info(i);
                if (ci == null) continue;
                if (ci.declares(name, descriptor, field)) declaring = i;
                else todo.addAll(ci.interfaces());
            }
            if (declaring != null) { // a default or static method of an interface: the interface, then a JDK class named in the code
                if (own.containsKey(declaring)) return path;
                path.add(declaring);
                if (!own.containsKey(owner) && !owner.equals(declaring)) path.add(owner);
                return path;
            }
            // Not found at all (a signature-polymorphic VarHandle method, say): the first JDK class from the one named in the code decides.
            if (firstJdk != null) path.add(firstJdk);
            return path;
        }

        void bootstrap(String where, Handle bsm, Object[] args) {
            String key = bsm.getOwner() + "." + bsm.getName();
            if (!BOOTSTRAPS.contains(key)) {
                violation(where, "uses invokedynamic with the bootstrap method `" + dotted(bsm.getOwner()) + "." + bsm.getName() + "`",
                        "invokedynamic beyond what lambdas, method references, string concatenation, records and switches compile to is not allowed in this kata");
                return;
            }
            for (Object a : args) constant(where, a);
        }

        /** A constant of the constant pool used by ldc or by a bootstrap: class literals, method types, method handles. */
        void constant(String where, Object value) {
            if (value instanceof Type t) {
                if (t.getSort() == Type.METHOD) descriptorTypes(where, "uses", t.getDescriptor());
                else type(where, "uses the class literal of", t.getDescriptor(), true);
            } else if (value instanceof Handle h) {
                boolean field = h.getTag() <= Opcodes.H_PUTSTATIC;
                member(where, "refers to", h.getOwner(), h.getName(), h.getDesc(), field);
            } else if (value instanceof ConstantDynamic d) {
                Object[] args = new Object[d.getBootstrapMethodArgumentCount()];
                for (int i = 0; i < args.length; i++) args[i] = d.getBootstrapMethodArgument(i);
                bootstrap(where, d.getBootstrapMethod(), args);
                type(where, "uses", d.getDescriptor(), true);
            }
        }

        ClassVisitor visitor() {
            return new ClassVisitor(Opcodes.ASM9) {
                String cls;

                @Override
                public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                    cls = dotted(name);
                    if (superName != null) type(cls, "extends", superName, false);
                    if (interfaces != null) for (String i : interfaces) type(cls, "implements", i, false);
                }

                @Override
                public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
                    type(cls, "is annotated with", descriptor, true);
                    return null;
                }

                @Override
                public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
                    String where = cls + "." + name;
                    type(where, "has the type", descriptor, true);
                    return new FieldVisitor(Opcodes.ASM9) {
                        @Override
                        public AnnotationVisitor visitAnnotation(String d, boolean visible) {
                            type(where, "is annotated with", d, true);
                            return null;
                        }
                    };
                }

                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    String where = cls + "." + name;
                    if ((access & Opcodes.ACC_NATIVE) != 0) {
                        violation(where, "is a `native` method", "native code is not allowed in this kata");
                    }
                    descriptorTypes(where, "takes or returns", descriptor);
                    if (exceptions != null) for (String e : exceptions) type(where, "declares `throws`", e, false);
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public AnnotationVisitor visitAnnotation(String d, boolean visible) {
                            type(where, "is annotated with", d, true);
                            return null;
                        }

                        @Override
                        public AnnotationVisitor visitParameterAnnotation(int parameter, String d, boolean visible) {
                            type(where, "has a parameter annotated with", d, true);
                            return null;
                        }

                        @Override
                        public void visitTypeInsn(int opcode, String type) {
                            String what = switch (opcode) {
                                case Opcodes.NEW -> "creates";
                                case Opcodes.ANEWARRAY -> "creates an array of";
                                case Opcodes.CHECKCAST -> "casts to";
                                default -> "tests `instanceof`";
                            };
                            if (type.startsWith("[")) type(where, what, type, true);
                            else type(where, what, type, false);
                        }

                        @Override
                        public void visitMultiANewArrayInsn(String d, int dims) {
                            type(where, "creates an array of", d, true);
                        }

                        @Override
                        public void visitFieldInsn(int opcode, String owner, String name, String d) {
                            boolean read = opcode == Opcodes.GETFIELD || opcode == Opcodes.GETSTATIC;
                            member(where, read ? "reads" : "writes", owner, name, d, true);
                        }

                        @Override
                        public void visitMethodInsn(int opcode, String owner, String name, String d, boolean itf) {
                            member(where, "calls", owner, name, d, false);
                        }

                        @Override
                        public void visitInvokeDynamicInsn(String name, String d, Handle bsm, Object... args) {
                            bootstrap(where, bsm, args);
                            descriptorTypes(where, "uses", d);
                        }

                        @Override
                        public void visitLdcInsn(Object value) {
                            constant(where, value);
                        }

                        @Override
                        public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
                            if (type != null) type(where, "catches", type, false);
                        }
                    };
                }
            };
        }
    }

    private static String dotted(String internalName) {
        return internalName.replace('/', '.');
    }

    /** The parameter types of a method descriptor as in patterns: java.lang.String,int[] */
    private static String params(String methodDescriptor) {
        List<String> names = new ArrayList<>();
        for (Type t : Type.getArgumentTypes(methodDescriptor)) names.add(t.getClassName());
        return String.join(",", names);
    }
}
