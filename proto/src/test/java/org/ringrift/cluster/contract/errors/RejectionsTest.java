package org.ringrift.cluster.contract.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.ringrift.cluster.proto.RejectCode;
import org.ringrift.cluster.proto.Rejection;

class RejectionsTest {
  @Test
  void everyRejectCodeHasOneKindAndBack() {
    for (RejectCode code : RejectCode.values()) {
      if (code == RejectCode.UNRECOGNIZED || code == RejectCode.REJECT_CODE_UNSPECIFIED) {
        continue;
      }
      assertThat(Rejections.code(Rejections.kind(code))).as(code.name()).contains(code);
    }
    assertThat(Rejections.code(ErrorKind.UNAVAILABLE)).isEmpty();
    assertThat(Rejections.code(ErrorKind.PERMISSION_DENIED)).isEmpty();
  }

  @Test
  void aRejectionTravelsAsItsStatusWithTheKindInTheTrailers() {
    StatusRuntimeException e = Rejections.toStatus(Rejection.newBuilder().setCode(RejectCode.REJECT_FENCED)
        .setField("expected_term").setMessage("stale").build());
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(e.getStatus().getDescription()).isEqualTo("expected_term: stale");
    assertThat(e.getTrailers().get(Rejections.REJECT_CODE)).isEqualTo("FENCED");
    assertThat(ErrorKind.of(e.getStatus().getCode(), e.getTrailers().get(Rejections.REJECT_CODE)))
        .isEqualTo(ErrorKind.FENCED);
  }
}
