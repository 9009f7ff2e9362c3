package io.squall.api;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The public surface of a package: every type its public classes show in a public or protected signature (supertypes,
 * methods, constructors, fields), checked against the packages it may name. Shared with the test kit's own check.
 */
public final class PublicSurface {
    private final List<String> allowed;

    /** @param allowed package prefixes (with their trailing dot) a signature may name */
    public PublicSurface(List<String> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /** Each signature of {@code types} that names a type from elsewhere, as {@code "where: type"}. */
    public Set<String> leaks(List<Class<?>> types) {
        Set<String> leaks = new TreeSet<>();
        for (Class<?> type : types) {
            if (!Modifier.isPublic(type.getModifiers())) {
                continue;
            }
            check(type.getGenericSuperclass(), type.getName() + " extends", leaks);
            for (Type parent : type.getGenericInterfaces()) {
                check(parent, type.getName() + " implements", leaks);
            }
            for (Method method : type.getDeclaredMethods()) {
                if (visible(method.getModifiers()) && !method.isSynthetic()) {
                    String where = type.getName() + "." + method.getName();
                    check(method.getGenericReturnType(), where, leaks);
                    Stream.of(method.getGenericParameterTypes()).forEach(t -> check(t, where, leaks));
                    Stream.of(method.getGenericExceptionTypes()).forEach(t -> check(t, where, leaks));
                    Stream.of(method.getTypeParameters()).forEach(t -> check(t, where, leaks));
                }
            }
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                if (visible(constructor.getModifiers())) {
                    Stream.of(constructor.getGenericParameterTypes())
                            .forEach(t -> check(t, type.getName() + ".<init>", leaks));
                }
            }
            for (Field field : type.getDeclaredFields()) {
                if (visible(field.getModifiers()) && !field.isSynthetic()) {
                    check(field.getGenericType(), type.getName() + "." + field.getName(), leaks);
                }
            }
        }
        return leaks;
    }

    /** Every class compiled into {@code anchor}'s package (nested ones included), from its classes directory. */
    public static List<Class<?>> typesBeside(Class<?> anchor)
            throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        String pkg = anchor.getPackageName();
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.list(root.resolve(pkg.replace('.', '/')))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                types.add(Class.forName(pkg + "." + file.getFileName().toString().replace(".class", "")));
            }
        }
        return types;
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private void check(Type type, String where, Set<String> leaks) {
        switch (type) {
            case null -> { }
            case Class<?> c when c.isArray() -> check(c.getComponentType(), where, leaks);
            case Class<?> c when c.isPrimitive() -> { }
            case Class<?> c -> {
                if (allowed.stream().noneMatch(c.getName()::startsWith)) {
                    leaks.add(where + ": " + c.getName());
                }
            }
            case ParameterizedType p -> {
                check(p.getRawType(), where, leaks);
                Stream.of(p.getActualTypeArguments()).forEach(t -> check(t, where, leaks));
            }
            case WildcardType w -> {
                Stream.of(w.getUpperBounds()).forEach(t -> check(t, where, leaks));
                Stream.of(w.getLowerBounds()).forEach(t -> check(t, where, leaks));
            }
            case TypeVariable<?> v -> Stream.of(v.getBounds()).forEach(t -> check(t, where, leaks));
            case GenericArrayType g -> check(g.getGenericComponentType(), where, leaks);
            default -> leaks.add(where + ": unknown kind of type " + type);
        }
    }
}
