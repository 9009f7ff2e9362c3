package io.squall.server.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The heap figures read from the JDK tools' output, in the shapes JDK 21 to 25 print. */
class JvmToolsTest {
    @Test
    void heap_info_of_g1_in_both_shapes() {
        assertThat(JvmTools.heapInfoUsed("""
                garbage-first heap   total reserved 98304K, committed 27648K, used 8391K [0x00000000fa000000, 0x0)
                 region size 1024K, 1 young (1024K), 0 survivors (0K)
                 Metaspace       used 23906K, committed 24320K, reserved 1114112K
                """)).isEqualTo(8391L * 1024);
        assertThat(JvmTools.heapInfoUsed("garbage-first heap   total 262144K, used 12345K [0x0, 0x0)\n"))
                .isEqualTo(12345L * 1024);
    }

    @Test
    void heap_info_of_serial_sums_the_generations() {
        assertThat(JvmTools.heapInfoUsed("""
                 def new generation   total 4928K, used 1000K [0x0, 0x0, 0x0)
                  eden space 4416K,  22% used [0x0, 0x0, 0x0)
                 tenured generation   total 10944K, used 5000K [0x0, 0x0, 0x0)
                """)).isEqualTo(6000L * 1024);
    }

    @Test
    void nothing_to_read_is_unknown() {
        assertThat(JvmTools.heapInfoUsed("12345: Command executed successfully\n")).isEqualTo(-1);
    }

    @Test
    void jstat_gc_row_sums_survivors_eden_and_old() {
        String header = " S0C    S1C    S0U    S1U      EC       EU        OC         OU       MC     MU    CCSC   CCSU"
                + "   YGC     YGCT     FGC    FGCT     CGC    CGCT       GCT";
        String row = " 0.0   1024.0    0.0   512.0  20480.0   2048.0    75776.0     4096.5   23552.0 22861.2 2816.0 "
                + "2538.3     5     0.021     0     0.000     2     0.002     0.023";
        assertThat(JvmTools.heapUsed(header, row)).isEqualTo((long) ((512.0 + 2048.0 + 4096.5) * 1024));
        assertThat(JvmTools.heapUsed(header, "no numbers here")).isEqualTo(-1);
    }
}
