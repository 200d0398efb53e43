package org.ringrift.cluster.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The code blocks of docs/RUNBOOK.md fenced as {@code ```sh runnable} (optionally {@code expect=N}). */
final class RunbookBlocks {
  record Block(int line, String section, int expectedExit, String script) {
    String name() {
      return "RUNBOOK.md line " + line + " (" + section + ")" + (expectedExit == 0 ? "" : " expect=" + expectedExit);
    }
  }

  private static final Pattern FENCE = Pattern.compile("^```sh runnable(?: expect=(\\d+))?\\s*$");

  private RunbookBlocks() {}

  static List<Block> parse(String markdown) {
    List<Block> blocks = new ArrayList<>();
    String[] lines = markdown.split("\n", -1);
    String section = "";
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].startsWith("## ")) {
        section = lines[i].substring(3).trim();
      }
      Matcher fence = FENCE.matcher(lines[i]);
      if (!fence.matches()) {
        continue;
      }
      int start = i + 1;
      StringBuilder script = new StringBuilder();
      int j = start;
      for (; j < lines.length && !lines[j].startsWith("```"); j++) {
        script.append(lines[j]).append('\n');
      }
      if (j == lines.length) {
        throw new IllegalArgumentException("runnable block at line " + (i + 1) + " is never closed");
      }
      int expected = fence.group(1) == null ? 0 : Integer.parseInt(fence.group(1));
      blocks.add(new Block(i + 1, section, expected, script.toString()));
      i = j;
    }
    return blocks;
  }
}
