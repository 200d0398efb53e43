package org.ringrift.cluster.daemons.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ringrift.cluster.statemachine.sync.ManifestChecks;

/** The daemons check a node's sync settings against the limits the state machine applies to its manifests. */
class SyncSettingsLimitsTest {
  @Test
  void theSettingsLimitsAreTheStateMachinesManifestLimits() {
    assertThat(SyncSettings.MAX_DATASETS).isEqualTo(ManifestChecks.MAX_DATASETS);
    assertThat(SyncSettings.MAX_FILES_PER_DATASET).isEqualTo(ManifestChecks.MAX_FILES_PER_DATASET);
  }
}
