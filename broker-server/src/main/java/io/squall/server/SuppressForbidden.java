package io.squall.server;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Lets forbidden-apis accept one method that has a reason to use a banned API (a command-line tool printing its
 * result, a JDK-specific bean with no portable equivalent); the reason goes in {@link #value}.
 */
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface SuppressForbidden {
    String value();
}
