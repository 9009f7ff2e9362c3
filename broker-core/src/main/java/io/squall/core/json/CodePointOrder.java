package io.squall.core.json;

import java.util.Comparator;

/**
 * Orders strings by Unicode code point, as Python compares {@code str} (Snorky's sorting and filters). Java's
 * {@link String#compareTo} compares UTF-16 units instead, which differs for characters outside the BMP.
 */
public final class CodePointOrder {
    public static final Comparator<String> COMPARATOR = CodePointOrder::compare;

    private CodePointOrder() {}

    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
