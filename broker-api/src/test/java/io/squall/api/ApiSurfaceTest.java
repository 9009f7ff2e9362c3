package io.squall.api;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;

/**
 * The API's public surface names only its own types, the JDK's, Jackson's and Micrometer's: a service author
 * compiles against broker-api alone, and the broker's internals stay free to change.
 */
class ApiSurfaceTest {
    private static final List<String> ALLOWED = List.of("io.squall.api.", "java.", "com.fasterxml.jackson.",
            "io.micrometer.");

    @Test
    void theApiExposesNoTypeFromElsewhere() throws Exception {
        List<Class<?>> types = apiTypes();
        assertThat(types).contains(SquallService.class, Loop.class, SquallPlugin.class);
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
        assertThat(leaks).as("types outside io.squall.api, the JDK, Jackson and Micrometer").isEmpty();
    }

    @Test
    void theScanCatchesALeak() {
        Set<String> leaks = new TreeSet<>();
        check(org.junit.jupiter.api.Test.class, "probe", leaks);
        assertThat(leaks).hasSize(1);
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void check(Type type, String where, Set<String> leaks) {
        switch (type) {
            case null -> { }
            case Class<?> c when c.isArray() -> check(c.getComponentType(), where, leaks);
            case Class<?> c when c.isPrimitive() -> { }
            case Class<?> c -> {
                if (ALLOWED.stream().noneMatch(c.getName()::startsWith)) {
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

    /** Every class compiled into io.squall.api (nested ones included). */
    private static List<Class<?>> apiTypes() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(SquallService.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = root.resolve("io/squall/api");
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                String simple = file.getFileName().toString().replace(".class", "");
                types.add(Class.forName("io.squall.api." + simple));
            }
        }
        return types;
    }
}
