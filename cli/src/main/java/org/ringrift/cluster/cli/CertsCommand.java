package org.ringrift.cluster.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ringrift.cluster.client.tls.ClusterCa;
import org.ringrift.cluster.contract.tls.CertRole;
import org.ringrift.cluster.contract.tls.TlsFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rrctl certs}: a cluster CA and certificates for nodes, workers and operators (no cluster needed). */
@Command(name = "certs", description = "Create a cluster CA and certificates (docs/SECURITY.md).",
    subcommands = {CertsCommand.Init.class, CertsCommand.Issue.class},
    footerHeading = "%nExamples:%n",
    footer = {"  rrctl certs init --dir certs --nodes n1,n2,n3",
        "  rrctl certs issue --dir certs --name alice --role read --days 30",
        "  rrctl --tls-dir certs --tls-name alice status"})
final class CertsCommand {

  @Command(name = "init", description = {"Create DIR/ca.pem + ca.key and a certificate per node (OU=node), per worker "
      + "(OU=worker) and three operator certificates: admin (OU=admin), operator (OU=operate), reader (OU=read).",
      "Every certificate names localhost and 127.0.0.1; give a node's other host names as ID=HOST[+HOST...]."},
      footerHeading = "%nExamples:%n",
      footer = {"  rrctl certs init --dir certs --nodes n1,n2,n3",
          "  rrctl certs init --dir /etc/ringrift/tls --nodes n1=10.0.0.1,n2=10.0.0.2,n3=10.0.0.3 --workers gpu1,gpu2"})
  static final class Init implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--dir", required = true, description = "Directory to create the files in; must hold no CA yet.")
    Path dir;

    @Option(names = "--nodes", required = true, split = ",", paramLabel = "ID[=HOST[+HOST...]]",
        description = "The Raft members, comma separated.")
    List<String> nodes;

    @Option(names = "--workers", split = ",", paramLabel = "ID[=HOST[+HOST...]]",
        description = "Worker-only nodes, comma separated.")
    List<String> workers = new ArrayList<>();

    @Option(names = "--cluster", defaultValue = "ringrift", description = "Name in the CA's subject (default: ${DEFAULT-VALUE}).")
    String cluster;

    @Option(names = "--days", defaultValue = "365", description = "Validity of the issued certificates (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--ca-days", defaultValue = "3650", description = "Validity of the CA (default: ${DEFAULT-VALUE}).")
    int caDays;

    @Override
    public Integer call() throws Exception {
      requirePositive(days, "--days");
      requirePositive(caDays, "--ca-days");
      ClusterCa ca = ClusterCa.create(dir, cluster, Duration.ofDays(caDays));
      PrintWriter out = spec.commandLine().getOut();
      out.println("ca        " + dir.resolve(ClusterCa.CA_CERT) + " (keep " + dir.resolve(ClusterCa.CA_KEY) + " offline)");
      for (String node : nodes) {
        issue(ca, node, CertRole.NODE, out);
      }
      for (String worker : workers) {
        issue(ca, worker, CertRole.WORKER, out);
      }
      issue(ca, "admin", CertRole.ADMIN, out);
      issue(ca, "operator", CertRole.OPERATE, out);
      issue(ca, "reader", CertRole.READ, out);
      return 0;
    }

    private void issue(ClusterCa ca, String spec, CertRole role, PrintWriter out) throws Exception {
      Named named = Named.parse(spec);
      TlsFiles files = ca.issue(named.name(), role, named.hosts(), Duration.ofDays(days));
      out.printf("%-9s %s %s (CN=%s, OU=%s)%n", role.label(), files.cert(), files.key(), named.name(), role.label());
    }
  }

  @Command(name = "issue", description = {"Issue (or re-issue, to rotate) one certificate with the CA in DIR."},
      footerHeading = "%nExamples:%n",
      footer = {"  rrctl certs issue --dir certs --name n4 --role node --host 10.0.0.4",
          "  rrctl certs issue --dir certs --name alice --role operate --days 30"})
  static final class Issue implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--dir", required = true, description = "Directory holding ca.pem and ca.key.")
    Path dir;

    @Option(names = "--name", required = true, description = "The CN: a node id for node and worker certificates.")
    String name;

    @Option(names = "--role", required = true, description = "node, worker, read, operate or admin.")
    String role;

    @Option(names = "--host", description = "Another host name or IP the certificate names (repeatable).")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--days", defaultValue = "365", description = "Validity (default: ${DEFAULT-VALUE}).")
    int days;

    @Override
    public Integer call() throws Exception {
      requirePositive(days, "--days");
      CertRole parsed = CertRole.parse(role).orElseThrow(() -> new IllegalArgumentException(
          "--role '" + role + "': one of " + CertRole.labels()));
      TlsFiles files = ClusterCa.load(dir).issue(name, parsed, hosts, Duration.ofDays(days));
      spec.commandLine().getOut().printf("%-9s %s %s (CN=%s, OU=%s)%n", parsed.label(), files.cert(), files.key(), name,
          parsed.label());
      return 0;
    }
  }

  /** {@code ID[=HOST[+HOST...]]}. */
  record Named(String name, List<String> hosts) {
    static Named parse(String spec) {
      int eq = spec.indexOf('=');
      if (eq < 0) {
        return new Named(spec.trim(), List.of());
      }
      return new Named(spec.substring(0, eq).trim(), List.of(spec.substring(eq + 1).trim().split("\\+")));
    }
  }

  private static void requirePositive(int value, String flag) {
    if (value < 1) {
      throw new IllegalArgumentException(flag + " must be at least 1, got " + value);
    }
  }
}
