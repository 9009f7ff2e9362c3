package io.squall.snap.codec;

import java.lang.reflect.InvocationTargetException;

/** Makes the codec named by {@code snap.codec}: {@code snapb1}, {@code line}, or a class name on the classpath. */
public final class SnapCodecs {
    public static final String SNAPB1 = "snapb1";
    public static final String LINE = "line";

    private SnapCodecs() {}

    /**
     * A fresh codec.
     *
     * @throws IllegalArgumentException naming {@code snap.codec} when the class is missing, not a
     *     {@link SnapFrameCodec}, or has no public no-argument constructor
     */
    public static SnapFrameCodec create(String spec) {
        return switch (spec) {
            case SNAPB1 -> new Snapb1Codec();
            case LINE -> new LineCodec();
            default -> load(spec);
        };
    }

    private static SnapFrameCodec load(String className) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Class<?> type;
        try {
            type = Class.forName(className, true, loader != null ? loader : SnapCodecs.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("snap.codec: no codec named '" + className
                    + "' (use snapb1, line, or the class name of a SnapFrameCodec on the classpath)", e);
        }
        if (!SnapFrameCodec.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("snap.codec: " + className + " does not implement "
                    + SnapFrameCodec.class.getName());
        }
        try {
            return (SnapFrameCodec) type.getConstructor().newInstance();
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
            throw new IllegalArgumentException("snap.codec: " + className + " needs a public no-argument constructor", e);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("snap.codec: " + className + " failed to construct: "
                    + e.getCause(), e.getCause());
        }
    }
}
