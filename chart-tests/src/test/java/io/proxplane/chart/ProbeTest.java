package io.proxplane.chart;
import com.marcnuri.helm.Helm;
import org.junit.jupiter.api.Test;
import java.nio.file.Path;
class ProbeTest {
  @Test void probe() throws Exception {
    Path chart = Path.of("../charts/proxplane");
    var r = new Helm(chart).lint().strict().call();
    System.out.println("LINT failed=" + r.isFailed() + " " + r.getMessages());
    for (String f : new String[]{"minimal","full","hostnetwork"}) {
      try {
        String out = new Helm(chart).template().withName("p").withNamespace("ns").withKubeVersion("1.30.0").withValuesFile(chart.resolve("ci/" + f + "-values.yaml")).call();
        java.nio.file.Files.writeString(Path.of("/tmp/render-" + f + ".yaml"), out);
        System.out.println("OK " + f);
      } catch (Exception e) { System.out.println("FAIL " + f + ": " + e.getMessage()); }
    }
    try { new Helm(chart).template().withName("p").withKubeVersion("1.30.0").call(); } catch (Exception e) { System.out.println("DEFAULTS: " + e.getMessage()); }
  }
}
