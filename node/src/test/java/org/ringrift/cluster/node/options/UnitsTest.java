package org.ringrift.cluster.node.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class UnitsTest {
  private final Units.Millis millis = new Units.Millis();
  private final Units.Bytes bytes = new Units.Bytes();
  private final Units.Mebibytes mebibytes = new Units.Mebibytes();

  @Test
  void aBareNumberKeepsTheUnitTheOptionNameSays() {
    assertThat(millis.convert("15000")).isEqualTo(Duration.ofSeconds(15));
    assertThat(bytes.convert("8388608")).isEqualTo(new DataSize(8L << 20));
    assertThat(mebibytes.convert("1024")).isEqualTo(new DataSize(1L << 30));
    assertThat(mebibytes.convert("-1").bytes()).as("a negative value reaches the option's own check").isNegative();
  }

  @Test
  void aSuffixSaysTheUnit() {
    assertThat(millis.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(millis.convert("10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(millis.convert("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(millis.convert("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(bytes.convert("64KiB")).isEqualTo(new DataSize(64L << 10));
    assertThat(bytes.convert("64MiB")).isEqualTo(new DataSize(64L << 20));
    assertThat(mebibytes.convert("2GiB")).isEqualTo(new DataSize(2L << 30));
    assertThat(mebibytes.convert("512B")).isEqualTo(new DataSize(512));
  }

  @Test
  void anUnknownUnitOrAnOverflowIsRefusedWithTheFormsAccepted() {
    assertThatThrownBy(() -> millis.convert("10 parsecs")).isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("500ms");
    assertThatThrownBy(() -> bytes.convert("64MB")).isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("64KiB");
    assertThatThrownBy(() -> bytes.convert("99999999999GiB")).isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("too large");
    assertThatThrownBy(() -> new DataSize(1L << 40).intBytes("--admin-max-message-bytes"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--admin-max-message-bytes");
  }
}
