package io.squall.services.support;

import java.util.Comparator;

/**
 * Strings by Unicode code point, as Snorky's Python sorts them ({@link String#compareTo} compares UTF-16 units, which
 * puts a character past U+FFFF before U+E000..U+FFFF).
 */
public final class CodePointOrder {
    public static final Comparator<String> COMPARATOR = CodePointOrder::compare;

    private CodePointOrder() {}

    private static int compare(String a, String b) {
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
