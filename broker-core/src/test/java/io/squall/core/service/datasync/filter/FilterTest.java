package io.squall.core.service.datasync.filter;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Mirrors Snorky's tests/test_filters.py, plus dotted paths (broken in Snorky) and parse-time checks. */
class FilterTest {

    @ParameterizedTest(name = "{0} on {1} is {2}")
    @CsvSource(delimiter = '|', value = {
        "['==','color','blue']                       | {'color':'blue'}           | true",
        "['==','color','blue']                       | {'color':'red'}            | false",
        "['==','a',1]                                | {'a':1}                    | true",
        "['==','a',1]                                | {'a':1.0}                  | true",
        "['==','a',1]                                | {'a':2}                    | false",
        "['==','a',1]                                | {'a':'1'}                  | false",
        "['==','a',null]                             | {'a':null}                 | true",
        "['==','a',null]                             | {}                         | false",
        "['==','a',{'x':[1,2]}]                      | {'a':{'x':[1,2.0]}}        | true",
        "['<','age',21]                              | {'age':20}                 | true",
        "['<','age',21]                              | {'age':21}                 | false",
        "['<','age',21]                              | {'age':22}                 | false",
        "['<','age',21]                              | {'age':'20'}               | false",
        "['<','age',21]                              | {'age':20.5}               | true",
        "['<=','age',21]                             | {'age':21}                 | true",
        "['<=','age',21]                             | {'age':22}                 | false",
        "['<=','age',21]                             | {'age':'20'}               | false",
        "['>','age',21]                              | {'age':22}                 | true",
        "['>','age',21]                              | {'age':21}                 | false",
        "['>','age',21]                              | {'age':'22'}               | false",
        "['>=','age',21]                             | {'age':21}                 | true",
        "['>=','age',21]                             | {'age':20}                 | false",
        "['>=','age',21]                             | {'age':'22'}               | false",
        "['<','name','m']                            | {'name':'alice'}           | true",
        "['<','name','m']                            | {'name':'zoe'}             | false",
        "['<','a',null]                              | {'a':null}                 | false",
        "['<','a',[2]]                               | {'a':[1]}                  | false",
        "['not',['==','color','blue']]               | {'color':'blue'}           | false",
        "['not',['==','color','blue']]               | {'color':'red'}            | true",
        "['not',['<','age',21]]                      | {'age':'x'}                | true",
        "['and',['>=','a',3],['<=','a',7]]           | {'a':5}                    | true",
        "['and',['>=','a',3],['<=','a',7]]           | {'a':2}                    | false",
        "['and',['>=','a',3],['<=','a',7]]           | {'a':8}                    | false",
        "['and',['==','a','foo'],['==','b','bar']]   | {'a':'foo','b':'bar'}      | true",
        "['and',['==','a','foo'],['==','b','bar']]   | {'a':'foo','b':'other'}    | false",
        "['and',['==','a','foo'],['==','b','bar']]   | {'a':'bar','b':'foo'}      | false",
        "['or',['<','a',3],['>','a',7]]              | {'a':5}                    | false",
        "['or',['<','a',3],['>','a',7]]              | {'a':2}                    | true",
        "['or',['<','a',3],['>','a',7]]              | {'a':8}                    | true",
        "['or',['==','a','foo'],['==','b','bar']]    | {'a':'other','b':'bar'}    | true",
        "['or',['==','a','foo'],['==','b','bar']]    | {'a':'other','b':'other'}  | false",
        "['and']                                     | {}                         | true",
        "['or']                                      | {}                         | false",
        "['==','player.color','blue']                | {'player':{'color':'blue'}} | true",
        "['==','player.color','blue']                | {'player':{'color':'red'}} | false",
        "['==','player.color','blue']                | {'color':'blue','player':{}} | false",
        "['==','a.b.c',1]                            | {'a':{'b':{'c':1}}}        | true",
        "['==','a.b',1]                              | {'a':'b'}                  | false",
        "['==','a.b',1]                              | {'a':[1]}                  | false",
        "['==','a',1]                                | 5                          | false"
    })
    void matches_like_snorky(String filter, String row, boolean expected) {
        assertThat(FilterParser.parse(json(filter)).matches(json(row))).isEqualTo(expected);
    }

    @Test
    void dotted_paths_look_up_each_segment_in_the_previous_value() {
        // Snorky's get_field looked 'color' up in the row itself: this row matched there, wrongly
        Filter filter = FilterParser.parse(json("['==','player.color','blue']"));

        assertThat(filter.matches(json("{'player':{'color':'red'},'color':'blue'}"))).isFalse();
        assertThat(filter.matches(json("{'player':{'color':'blue'},'color':'red'}"))).isTrue();
    }

    @Test
    void strings_order_by_code_point() {
        Filter filter = FilterParser.parse(json("['>','s','\uFFFD']"));

        assertThat(filter.matches(json("{'s':'\uD83D\uDE00'}"))).isTrue();
    }

    @Test
    void large_integers_and_doubles_compare_exactly() {
        assertThat(FilterParser.parse(json("['>','n',9007199254740992]")).matches(json("{'n':9007199254740993}")))
                .isTrue();
        assertThat(FilterParser.parse(json("['<','n',1e400]")).matches(json("{'n':1e300}"))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "'color'", "{'==':['color','blue']}", "[]", "[1,'a',2]", "['~','a',1]", "['==','a']", "['==','a',1,2]",
        "['==',5,1]", "['==','a..b',1]", "['==','',1]", "['not']", "['not',['==','a',1],['==','b',2]]",
        "['and',['==','a',1],'b']", "['or',['bogus']]", "null"
    })
    void a_query_that_is_not_a_filter_is_refused_when_parsed(String query) {
        assertThatThrownBy(() -> FilterParser.parse(json(query))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void field_paths_resolve_nothing_when_missing() {
        assertThat(FieldPath.parse("a.b").resolve(json("{'a':{}}"))).isEmpty();
        assertThat(FieldPath.parse("a.b").resolve(json("{'a':{'b':null}}"))).contains(json("null"));
        assertThat(FieldPath.parse("a").toString()).isEqualTo("a");
    }
}
