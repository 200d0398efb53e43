package org.ringrift.cluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunbookBlocksTest {
  @Test
  void findsRunnableBlocksWithTheirSectionAndExpectedExit() {
    List<RunbookBlocks.Block> blocks = RunbookBlocks.parse(String.join("\n",
        "## 1. First", "```sh", "not run", "```", "```sh runnable", "rrctl status", "rrctl doctor", "```",
        "## 2. Second", "```sh runnable expect=2", "rrnode --bogus", "```", ""));
    assertThat(blocks).hasSize(2);
    assertThat(blocks.get(0)).isEqualTo(new RunbookBlocks.Block(5, "1. First", 0, "rrctl status\nrrctl doctor\n"));
    assertThat(blocks.get(1).expectedExit()).isEqualTo(2);
    assertThat(blocks.get(1).section()).isEqualTo("2. Second");
  }

  @Test
  void anUnclosedBlockIsAnError() {
    assertThatThrownBy(() -> RunbookBlocks.parse("```sh runnable\nrrctl status\n"))
        .hasMessageContaining("line 1");
  }

  @Test
  void theRunbookHasRunnableBlocksInEverySection() throws Exception {
    String runbook = Files.readString(ProcessCluster.REPO.resolve("docs/RUNBOOK.md"));
    List<RunbookBlocks.Block> blocks = RunbookBlocks.parse(runbook);
    assertThat(blocks.stream().map(RunbookBlocks.Block::section).distinct())
        .contains("Quick diagnostics", "1. Daemon won't start", "2. Daemon keeps restarting", "3. Events not delivered",
            "4. Leader issues", "5. Sync failures", "6. Work queue starvation", "7. Jobs time out", "8. Memory growth",
            "9. Health checks", "10. Emergency recovery", "11. Corrupted database: a node lost or damaged its data directory",
            "12. Monitoring");
  }
}
