package org.ringrift.cluster.contract.names;

import java.util.List;

/** The kinds of data the cluster moves; sync policy routes each kind to nodes (config sync.route.KIND). */
public final class DatasetKinds {
  public static final String SELFPLAY_DB = "selfplay-db";
  public static final String MODEL = "model";
  public static final String TRAINING_NPZ = "training-npz";
  public static final List<String> ALL = List.of(SELFPLAY_DB, MODEL, TRAINING_NPZ);

  private DatasetKinds() {}
}
