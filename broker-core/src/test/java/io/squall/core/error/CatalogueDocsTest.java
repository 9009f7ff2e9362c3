package io.squall.core.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/protocol.md's tables of error names, close codes and HTTP refusals say exactly what the catalogue says: the
 * same names and codes, each with the same text. A name in the docs that nothing sends, a name sent that the docs leave out, or a
 * meaning edited on one side only fails here.
 */
class CatalogueDocsTest {
    private static final String PROTOCOL = "docs/protocol.md";

    @Test
    void the_error_names_table_is_the_catalogue() {
        Map<String, String> catalogue = new LinkedHashMap<>();
        for (ErrorName name : ErrorName.values()) {
            catalogue.put(name.wireName(), name.when());
        }
        assertThat(DocTables.table(PROTOCOL, "## Error names")).containsExactlyInAnyOrderEntriesOf(catalogue);
    }

    @Test
    void the_close_codes_table_is_the_catalogue() {
        Map<String, String> catalogue = new LinkedHashMap<>();
        for (CloseCode code : CloseCode.values()) {
            catalogue.put(Integer.toString(code.code()), code.when());
        }
        assertThat(DocTables.table(PROTOCOL, "## Close codes")).containsExactlyInAnyOrderEntriesOf(catalogue);
    }

    @Test
    void the_http_refusals_table_is_the_catalogue() {
        Map<String, String> catalogue = new LinkedHashMap<>();
        for (HttpRefusal refusal : HttpRefusal.values()) {
            catalogue.put(refusal.status() + " " + refusal.body(), refusal.when());
        }
        assertThat(DocTables.table(PROTOCOL, "## HTTP refusals")).containsExactlyInAnyOrderEntriesOf(catalogue);
    }

    /** snap.md's own table explains SNAP's errors in its terms; it must name no error the catalogue lacks, nor miss one. */
    @Test
    void the_snap_error_table_names_the_catalogue_s_snap_errors() {
        Set<String> snapTable = DocTables.table("docs/snap.md", "| Error | When |").keySet();
        Set<String> catalogue = Arrays.stream(ErrorName.values()).map(ErrorName::wireName).collect(Collectors.toSet());
        assertThat(catalogue).containsAll(snapTable);
        assertThat(snapTable).containsAll(Arrays.stream(ErrorName.values())
                .filter(name -> name.when().startsWith("SNAP")).map(ErrorName::wireName).toList());
    }

    @Test
    void names_and_codes_are_unique_and_close_reasons_fit_a_close_frame() {
        assertThat(Arrays.stream(ErrorName.values()).map(ErrorName::wireName)).doesNotHaveDuplicates();
        assertThat(Arrays.stream(CloseCode.values()).map(CloseCode::code)).doesNotHaveDuplicates();
        assertThat(Arrays.stream(HttpRefusal.values()).map(r -> r.status() + " " + r.body())).doesNotHaveDuplicates();
        for (CloseCode code : CloseCode.values()) {
            // RFC 6455 §5.5: a control frame's payload is at most 125 bytes, two of them the code
            assertThat(code.text().getBytes(StandardCharsets.UTF_8).length).as("%s", code).isLessThanOrEqualTo(123);
            assertThat(code.code()).as("%s: RFC 6455's range or the private 4000-4999", code)
                    .matches(c -> (c >= 1000 && c <= 1015) || (c >= 4000 && c <= 4999));
        }
    }
}
