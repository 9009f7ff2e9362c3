package io.squall.server.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a PromQL expression reads from the series: every metric name, the label matchers written on it, and the
 * labels its aggregations group by ({@code by}, {@code without}, {@code on}, {@code ignoring}). A tokenizer, not a
 * full parser: enough for the dashboard's expressions, and strict enough to refuse what it does not understand.
 */
public final class PromQlUses {
    /** One metric selector: {@code name{label="value", ...}}; {@code values} holds the exact ({@code =}) matchers. */
    public record Selector(String metric, Set<String> labels, Map<String, String> values) {}

    private static final Pattern TOKEN = Pattern.compile("\\s*(?:(?<id>[a-zA-Z_:][a-zA-Z0-9_:]*)"
            + "|(?<num>[0-9][0-9.eE+-]*)|(?<str>\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*')"
            + "|(?<range>\\[[^\\]]*])|(?<op>=~|!~|!=|==|>=|<=|[-+*/%^<>=,(){}]))");
    private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "offset", "bool", "inf", "nan");

    private final List<Selector> selectors = new ArrayList<>();
    private final Set<String> groupingLabels = new LinkedHashSet<>();

    private PromQlUses() {}

    /** Reads {@code expr}, Grafana's variables already replaced by literals. */
    public static PromQlUses of(String expr) {
        List<String[]> tokens = tokens(expr);
        PromQlUses uses = new PromQlUses();
        for (int i = 0; i < tokens.size(); i++) {
            String kind = tokens.get(i)[0];
            String text = tokens.get(i)[1];
            String next = i + 1 < tokens.size() ? tokens.get(i + 1)[1] : "";
            // a function or an aggregation: sum (...), sum by (...) (...), max without (...) (...)
            boolean call = next.equals("(") || next.equals("by") || next.equals("without");
            if (kind.equals("id") && GROUPING.contains(text)) {
                if (next.equals("(")) {
                    i = uses.labelList(tokens, i + 2);
                }
            } else if (kind.equals("id") && !call && !KEYWORDS.contains(text.toLowerCase(java.util.Locale.ROOT))) {
                Selector selector = new Selector(text, new LinkedHashSet<>(), new LinkedHashMap<>());
                if (i + 1 < tokens.size() && tokens.get(i + 1)[1].equals("{")) {
                    i = matchers(tokens, i + 2, selector, expr);
                }
                uses.selectors.add(selector);
            } else if (text.equals("{")) {
                throw new IllegalArgumentException("a selector without a metric name in: " + expr);
            }
        }
        return uses;
    }

    public List<Selector> selectors() {
        return selectors;
    }

    /** The labels named by {@code by (...)} and the like. */
    public Set<String> groupingLabels() {
        return groupingLabels;
    }

    private int labelList(List<String[]> tokens, int from) {
        int i = from;
        for (; i < tokens.size() && !tokens.get(i)[1].equals(")"); i++) {
            if (tokens.get(i)[0].equals("id")) {
                groupingLabels.add(tokens.get(i)[1]);
            }
        }
        return i;
    }

    private static int matchers(List<String[]> tokens, int from, Selector selector, String expr) {
        int i = from;
        while (i < tokens.size() && !tokens.get(i)[1].equals("}")) {
            if (tokens.get(i)[1].equals(",")) {
                i++;
                continue;
            }
            if (i + 2 >= tokens.size() || !tokens.get(i)[0].equals("id") || !tokens.get(i + 2)[0].equals("str")) {
                throw new IllegalArgumentException("cannot read the matchers of " + selector.metric() + " in: " + expr);
            }
            String label = tokens.get(i)[1];
            String value = tokens.get(i + 2)[1];
            selector.labels().add(label);
            if (tokens.get(i + 1)[1].equals("=")) {
                selector.values().put(label, value.substring(1, value.length() - 1));
            }
            i += 3;
        }
        return i;
    }

    private static List<String[]> tokens(String expr) {
        List<String[]> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(expr);
        int at = 0;
        while (at < expr.length()) {
            if (expr.substring(at).isBlank()) {
                break;
            }
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("cannot read PromQL at " + at + ": " + expr);
            }
            for (String kind : new String[] {"id", "num", "str", "range", "op"}) {
                if (m.group(kind) != null) {
                    tokens.add(new String[] {kind, m.group(kind)});
                }
            }
            at = m.end();
        }
        return tokens;
    }
}
